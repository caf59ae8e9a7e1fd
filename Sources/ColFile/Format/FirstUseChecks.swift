/// The outcome of each column's first-use checks (Specification.md §9, "On a column's first use"),
/// made once per column and reader, whatever thread asks first.
///
/// Open checks only what every column shares (header, trailer, directory checksum, directory header,
/// file metadata), so it costs the same for 10 columns and for 10,000 apart from one CRC-32 over the
/// directory; a column's name and record are checked the first time the column is described or
/// read, and every name with the whole name index the first time all names are listed. The outcome
/// is kept: a column that failed keeps failing with the same error, an unreadable column keeps its
/// refusal, and a failed check of all names keeps failing.
final class FirstUseChecks: Sendable {
    /// What one column's checks found.
    enum Outcome: Sendable {
        /// The column can be read.
        case readable
        /// The file is fine as far as this column goes, but this reader cannot read it (§9 14.2).
        case unreadable(ColFileError)
        /// The column's record breaks a rule: the column is refused with this error.
        case failed(ColFileError)
    }

    /// What the checks found so far.
    private struct State {
        /// Bit `i % 64` of word `i / 64` is set when column `i` was found readable, the usual
        /// outcome: one small array, grown to the highest column asked about, rather than a
        /// dictionary entry per column (hashing and a table: about 2,000 of the 19,000 instructions
        /// an attach ran, BENCHMARKS.md "Attach"). Empty until the first column is checked.
        var readable: [UInt64] = []
        /// The other outcomes by column index: unreadable and failed columns, rare.
        var others: [Int: Outcome] = [:]
        /// The outcome of the check of every name and the name index, once made: nil for a pass.
        var names: ColFileError??
    }

    private let state = Locked(State())

    /// The outcome for column `index`: `check`'s, made now under the lock if this is the first
    /// ask (it returns the unreadable error, or nil for a readable column, or throws the failure).
    ///
    /// - Returns: nil for a readable column, the error to refuse an unreadable one with.
    /// - Throws: the failure of the column's checks, now or as they found it before.
    func outcome(for index: Int, _ check: () throws -> ColFileError?) throws -> ColFileError? {
        let outcome = state.withLock { state -> Outcome in
            let word = index / 64
            let bit = UInt64(1) << UInt64(index % 64)
            if word < state.readable.count, state.readable[word] & bit != 0 { return .readable }
            if !state.others.isEmpty, let known = state.others[index] { return known }
            let found: Outcome
            do {
                found = try check().map(Outcome.unreadable) ?? .readable
            } catch let error as ColFileError {
                found = .failed(error)
            } catch {
                preconditionFailure("column checks throw only ColFileError: \(error)")
            }
            if case .readable = found {
                if state.readable.isEmpty {
                    state.readable = Array(repeating: 0, count: word + 1)
                }
                while word >= state.readable.count { state.readable.append(0) }
                state.readable[word] |= bit
            } else {
                state.others[index] = found
            }
            return found
        }
        switch outcome {
        case .readable: return nil
        case .unreadable(let error): return error
        case .failed(let error): throw error
        }
    }

    /// Runs `check` (every name, then the name index) the first time any thread asks, under the
    /// lock; afterwards answers as it did.
    ///
    /// - Throws: the failure of `check`, now or as it found it before.
    func namesOutcome(_ check: () throws -> Void) throws {
        let failure = state.withLock { state -> ColFileError? in
            if let known = state.names { return known }
            let found: ColFileError?
            do {
                try check()
                found = nil
            } catch let error as ColFileError {
                found = error
            } catch {
                preconditionFailure("name checks throw only ColFileError: \(error)")
            }
            state.names = .some(found)
            return found
        }
        if let failure { throw failure }
    }
}
