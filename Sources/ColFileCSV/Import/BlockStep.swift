import CColFile
import ColFile

/// One step of an import pass, shared by the threads that run it: converting a block's columns
/// (each thread takes the next columns not yet taken: columns differ in cost, text against
/// numbers, so a fixed split would leave a thread idle), and reading the next block.
///
/// When the step may work ahead (a narrow block of a writing pass; ``init(importer:block:records:columns:source:next:maxRows:worksAhead:convertedAhead:)``),
/// a thread that finds no column of the block left while another thread still converts one,
/// once the next block is read, converts the next block's columns whose column of this block
/// is done, instead of waiting: a step otherwise ends with one thread idle while the other
/// converts the block's last column (the next block's read, one piece of work as long as most
/// of the block's columns together, is what leaves them unevenly loaded). The next step then
/// skips those columns (``convertedAhead()``).
///
/// `@unchecked Sendable`: a column is handed to one thread only (``schedule`` is read and
/// changed under its lock), a column's conversion touches only that column's entries of
/// ``ImportColumns`` and its stream, a column of the next block is handed out only after the
/// same column of this block is done (both noted under the lock), the blocks converted are not
/// changed while they are converted (the next one only after reading it ended, noted under the
/// lock), reading touches only the source and ``next`` (on one thread: the first iteration), and
/// the caller looks at nothing until every thread is done (`DispatchQueue.concurrentPerform`
/// returns after all of them).
final class BlockStep: @unchecked Sendable {
    private let importer: CSVImporter
    private let block: CSVBlock
    /// The block's records converted (the first ones; fewer than all only when inferring).
    private let records: Int
    private let columns: ImportColumns
    private let source: CSVRecordSource?
    private var next: CSVBlock
    private let maxRows: Int
    /// Which columns are handed out, which are done, and how far reading the next block is
    /// (ColFile's `Locked`: a mutex ThreadSanitizer sees).
    private let schedule: Locked<Schedule>
    /// What reading the next block threw.
    private(set) var readError: (any Error)?

    /// The state of a step's work, changed under its lock.
    private struct Schedule {
        /// The next column of the block to hand out.
        var nextColumn = 0
        /// The block's columns converted before this step (ahead, by the step before): not handed out.
        var skipped: [Bool]
        /// The block's columns whose conversion ended (with the skipped ones), when the step works ahead.
        var done: [Bool]
        /// Whether the step works ahead and the next block was read (with at least one record).
        var nextIsReady = false
        /// The next block's columns handed out ahead.
        var takenAhead: [Bool]
        /// The lowest column of the next block that may not have been handed out yet.
        var nextAhead = 0
        /// The block's columns handed out and not yet converted.
        var converting = 0
    }

    /// What a thread converts next.
    private enum Work {
        /// Columns of the block.
        case columns(Range<Int>)
        /// A column of the next block, ahead.
        case ahead(Int)
    }

    /// A step converting `block` and reading the next block into `next`.
    ///
    /// - Parameters:
    ///   - worksAhead: Whether the next block's columns may be converted in this step: only
    ///     when it is converted whole, into the same streams (not across a shard's end), and
    ///     after this block in every column (a block of at most 64 columns, taken one at a time).
    ///   - convertedAhead: The block's columns the step before converted ahead (empty: none).
    init(importer: CSVImporter, block: CSVBlock, records: Int, columns: ImportColumns, source: CSVRecordSource?,
         next: CSVBlock, maxRows: Int, worksAhead: Bool = false, convertedAhead: [Bool] = []) {
        self.importer = importer
        self.block = block
        self.records = records
        self.columns = columns
        self.source = source
        self.next = next
        self.maxRows = maxRows
        let skipped = convertedAhead.isEmpty ? Array(repeating: false, count: columns.count) : convertedAhead
        precondition(skipped.count == columns.count, "one flag per column")
        let ahead = worksAhead && Self.mayWorkAhead(columns: columns.count) && source != nil
        schedule = Locked(Schedule(skipped: skipped, done: ahead ? skipped : [],
                                   takenAhead: ahead ? Array(repeating: false, count: columns.count) : []))
    }

    /// Reads the source's next block (none when there is no source or `maxRows` is 0).
    func read() {
        guard let source, maxRows > 0 else {
            next.rows = 0
            return
        }
        do {
            try source.nextImportBlock(into: &next, maxRows: maxRows)
        } catch {
            next.rows = 0
            readError = error
            return
        }
        if next.rows > 0 {
            schedule.withLock { if !$0.done.isEmpty { $0.nextIsReady = true } }
        }
    }

    /// The block read, once every thread is done.
    func takeNext() -> CSVBlock {
        var taken = CSVBlock()
        swap(&taken, &next)
        return taken
    }

    /// The next block's columns converted ahead in this step (empty when none), for the next
    /// step to skip; once every thread is done.
    func convertedAhead() -> [Bool] {
        schedule.withLock { $0.takenAhead.contains(true) ? $0.takenAhead : [] }
    }

    /// Converts columns until none is left, setting each one's outcome.
    func convertColumns() {
        // The block, the columns, the importer and the pass's streams as locals, lent to every
        // column's conversion: taken from the properties for each column, they would be
        // retained and released for each, by every thread at once, on the same objects (a
        // contended atomic count).
        let block = block, columns = columns, importer = importer, records = records
        let pass = columns.pass
        var finished: Int?
        while let work = take(finishing: finished) {
            switch work {
            case .columns(let taken):
                if taken.count > 1 { Self.prefetchText(of: taken, in: block, records: records) }
                for column in taken {
                    columns.convert(block, column: column, records: records, of: pass, by: importer)
                }
                finished = taken.count == 1 ? taken.lowerBound : nil
            case .ahead(let column):
                // `next` is not changed once read (noted under the lock before it was handed out).
                columns.convert(next, column: column, records: next.rows, ahead: true, of: pass, by: importer)
                finished = nil
            }
        }
    }

    /// Asks the processor for the text of the fields of columns `taken` in the block's first
    /// `records` records, before they are converted: in a wide block (columns taken several at
    /// a time) a column's fields lie a record apart (some 300 KB at 50,000 columns), more streams
    /// than the processor's prefetcher follows, so the first column taken met a cache miss at
    /// each field, one after another. The fields of the columns taken lie side by side in each
    /// record: a few lines a record, all asked for at once here.
    ///
    /// Audited unsafe scope: `base` is the text's buffer, alive for the closure; every address
    /// asked for lies from a field's start to the last byte before a field's end, in the text
    /// (``CSVColumnFields/place(_:in:)`` ranges lie in it); and a prefetch reads nothing
    /// (``colfile_prefetch``: a hint).
    static func prefetchText(of taken: Range<Int>, in block: CSVBlock, records: Int) {
        guard !taken.isEmpty, records > 0 else { return }
        let first = CSVColumnFields(block, column: taken.lowerBound)
        let last = CSVColumnFields(block, column: taken.upperBound - 1)
        let ends = block.fieldEnds.span
        unsafe block.text.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for row in 0..<min(records, first.rows) {
                let start = CSVFieldPlace.range(first.place(row, in: ends)).lowerBound
                let end = CSVFieldPlace.range(last.place(row, in: ends)).upperBound
                guard start < end else { continue }
                // A line of 64 bytes holds at least one of these addresses whatever the buffer's alignment.
                for offset in stride(from: start, to: end, by: 64) { unsafe colfile_prefetch(base + offset) }
                unsafe colfile_prefetch(base + (end - 1))
            }
        }
    }

    /// The columns a thread takes at a time: one of a narrow block (so no thread idles long at
    /// the end), up to 32 side by side of a wide one, whose fields then share the cache lines of
    /// the text that the thread has just read (a record's adjacent fields lie together).
    private static func columnsTaken(of count: Int) -> Int { min(32, max(1, count / 64)) }

    /// Whether a step of a block of `count` columns may convert columns of the next block ahead:
    /// only when it takes them one at a time (at most 127 columns), so ``ImportColumns`` keeps
    /// outcomes ahead for such blocks only.
    static func mayWorkAhead(columns count: Int) -> Bool { columnsTaken(of: count) == 1 }

    /// The next work, noting first that the block's column `finished` was converted.
    private func take(finishing finished: Int?) -> Work? {
        let count = Self.columnsTaken(of: columns.count)
        let total = columns.count
        return schedule.withLock { state in
            if let finished, !state.done.isEmpty {
                state.done[finished] = true
                state.converting -= 1
            }
            while state.nextColumn < total, state.skipped[state.nextColumn] { state.nextColumn += 1 }
            if state.nextColumn < total {
                let taken = state.nextColumn..<min(state.nextColumn + count, total)
                state.nextColumn = taken.upperBound
                state.converting += taken.count
                return .columns(taken)
            }
            // Ahead only while another thread still converts a column of the block: the work
            // ahead fills the wait for it and no more, leaving the next step its columns to
            // convert while its next block is read.
            guard state.nextIsReady, state.converting > 0 else { return nil }
            while state.nextAhead < total, state.takenAhead[state.nextAhead] { state.nextAhead += 1 }
            for column in state.nextAhead..<total where state.done[column] && !state.takenAhead[column] {
                state.takenAhead[column] = true
                return .ahead(column)
            }
            return nil
        }
    }
}
