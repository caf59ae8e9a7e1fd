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
        /// The outcomes by column index. Columns are few next to the checks' cost, and a
        /// dictionary allocates nothing at open.
        var columns: [Int: Outcome] = [:]
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
            if let known = state.columns[index] { return known }
            let found: Outcome
            do {
                found = try check().map(Outcome.unreadable) ?? .readable
            } catch let error as ColFileError {
                found = .failed(error)
            } catch {
                preconditionFailure("column checks throw only ColFileError: \(error)")
            }
            state.columns[index] = found
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
