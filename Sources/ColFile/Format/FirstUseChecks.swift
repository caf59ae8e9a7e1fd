/// The outcome of each column's first-use checks (Specification.md §9, "On a column's first use"),
/// made once per column and reader, whatever thread asks first.
///
/// Open checks only what every column shares (header, trailer, directory checksum, names, name
/// index), so it costs the same for 10 columns and for 10,000; a column's record is checked the
/// first time the column is described or read. The outcome is kept: a column that failed keeps
/// failing with the same error, an unreadable column keeps its refusal.
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

    /// The outcomes so far, by column index. Columns are few next to the checks' cost, and a
    /// dictionary allocates nothing at open.
    private let outcomes = Locked<[Int: Outcome]>([:])

    /// The outcome for column `index`: `check`'s, made now under the lock if this is the first
    /// ask (it returns the unreadable error, or nil for a readable column, or throws the failure).
    ///
    /// - Returns: nil for a readable column, the error to refuse an unreadable one with.
    /// - Throws: the failure of the column's checks, now or as they found it before.
    func outcome(for index: Int, _ check: () throws -> ColFileError?) throws -> ColFileError? {
        let outcome = outcomes.withLock { outcomes in
            if let known = outcomes[index] { return known }
            let found: Outcome
            do {
                found = try check().map(Outcome.unreadable) ?? .readable
            } catch let error as ColFileError {
                found = .failed(error)
            } catch {
                preconditionFailure("column checks throw only ColFileError: \(error)")
            }
            outcomes[index] = found
            return found
        }
        switch outcome {
        case .readable: return nil
        case .unreadable(let error): return error
        case .failed(let error): throw error
        }
    }
}
