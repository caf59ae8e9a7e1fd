import Synchronization

/// The outcome of each column's first-use checks (Specification.md §9, "On a column's first use"),
/// made once per column and reader as far as anyone can tell, whatever thread asks first.
///
/// Open checks only what every column shares (header, trailer, directory checksum, directory header,
/// file metadata), so it costs the same for 10 columns and for 10,000 apart from one CRC-32 over the
/// directory; a column's name and record are checked the first time the column is described or
/// read, and every name with the whole name index the first time all names are listed. The outcome
/// is kept: a column that failed keeps failing with the same error, an unreadable column keeps its
/// refusal, and a failed check of all names keeps failing.
///
/// Held inside its ``FileLayout`` (so not copyable): creating and releasing one allocates nothing
/// and takes no lock (an attach makes one; BENCHMARKS.md, "Attach: the user-space work at open").
/// A readable column among the first 64 is one bit of an atomic word, set once its checks pass;
/// every other outcome (a failure, a refusal, a column past the 64th, the check of all names) is
/// kept in a table behind a lock, made on the first such outcome. The checks are a pure function
/// of the file's bytes, which never change under a reader (a file changed in place is reported as
/// ``ColFileError/Code/fileChanged``), so they run outside any lock: two threads meeting a
/// column's first use together both check it and find the same outcome, and the first one kept is
/// every later answer.
struct FirstUseChecks: ~Copyable, Sendable {
    /// What one column's checks found.
    enum Outcome: Sendable {
        /// The column can be read.
        case readable
        /// The file is fine as far as this column goes, but this reader cannot read it (§9 14.2).
        case unreadable(ColFileError)
        /// The column's record breaks a rule: the column is refused with this error.
        case failed(ColFileError)
    }

    /// The outcomes that are not a bit of ``readable``.
    private struct Table {
        /// The outcomes by column index.
        var columns: [Int: Outcome] = [:]
        /// The outcome of the check of every name and the name index, once made: nil for a pass.
        var names: ColFileError??
    }

    /// How many columns have their readable outcome in ``readable``.
    private static let bitColumns = UInt64.bitWidth
    /// Bit `i`: column `i` passed its checks and is readable.
    private let readable = Atomic<UInt64>(0)
    /// The other outcomes, made on the first one.
    private let table = LazyReference<Locked<Table>>()

    /// The table of outcomes, made now if this is its first use.
    private var outcomes: Locked<Table> {
        table.load { Locked(Table()) }
    }

    /// The outcome for column `index`: `check`'s, made now if this is the first ask (it returns the
    /// unreadable error, or nil for a readable column, or throws the failure).
    ///
    /// - Returns: nil for a readable column, the error to refuse an unreadable one with.
    /// - Throws: the failure of the column's checks, now or as they found it before.
    func outcome(for index: Int, _ check: () throws -> ColFileError?) throws -> ColFileError? {
        let bit: UInt64 = index < Self.bitColumns ? 1 << UInt64(index) : 0
        if bit != 0 && readable.load(ordering: .acquiring) & bit != 0 { return nil }
        // A column past the 64th has its outcome in the table, readable or not.
        if let kept = bit == 0 ? outcomes : table.load(), let known = kept.withLock({ $0.columns[index] }) {
            return try Self.answer(known)
        }
        let found: Outcome
        do {
            if let unreadable = try check() {
                found = .unreadable(unreadable)
            } else if bit != 0 {
                // Readable among the first 64 columns (every attach of a narrow file): one bit.
                readable.bitwiseOr(bit, ordering: .releasing)
                return nil
            } else {
                found = .readable
            }
        } catch let error as ColFileError {
            found = .failed(error)
        } catch {
            preconditionFailure("column checks throw only ColFileError: \(error)")
        }
        return try keep(found, for: index)
    }

    /// Keeps `found` as column `index`'s outcome unless another thread kept one first, and answers
    /// with the one kept.
    private func keep(_ found: Outcome, for index: Int) throws -> ColFileError? {
        let kept = outcomes.withLock { table -> Outcome in
            if let known = table.columns[index] { return known }
            table.columns[index] = found
            return found
        }
        return try Self.answer(kept)
    }

    /// What ``outcome(for:_:)`` answers for `outcome`.
    private static func answer(_ outcome: Outcome) throws -> ColFileError? {
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
        let failure = outcomes.withLock { table -> ColFileError? in
            if let known = table.names { return known }
            let found: ColFileError?
            do {
                try check()
                found = nil
            } catch let error as ColFileError {
                found = error
            } catch {
                preconditionFailure("name checks throw only ColFileError: \(error)")
            }
            table.names = .some(found)
            return found
        }
        if let failure { throw failure }
    }
}
