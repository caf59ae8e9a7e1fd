import ColFile

/// One step of an import pass, shared by the threads that run it: converting a block's columns
/// (each thread takes the next columns not yet taken: columns differ in cost, text against
/// numbers, so a fixed split would leave a thread idle), and reading the next block.
///
/// `@unchecked Sendable`: a column is handed to one thread only (``nextColumn`` is read and
/// advanced under its lock), a column's conversion touches only that column's entries of
/// ``ImportColumns`` and its stream, the block converted is not changed, reading touches only the
/// source and ``next`` (on one thread: the first iteration), and the caller looks at nothing until
/// every thread is done (`DispatchQueue.concurrentPerform` returns after all of them).
final class BlockStep: @unchecked Sendable {
    private let importer: CSVImporter
    private let block: CSVBlock
    /// The block's records converted (the first ones; fewer than all only when inferring).
    private let records: Int
    private let columns: ImportColumns
    private let source: CSVRecordSource?
    private var next: CSVBlock
    private let maxRows: Int
    /// The next column to hand out (ColFile's `Locked`: a mutex ThreadSanitizer sees).
    private let nextColumn = Locked(0)
    /// What reading the next block threw.
    private(set) var readError: (any Error)?

    init(importer: CSVImporter, block: CSVBlock, records: Int, columns: ImportColumns, source: CSVRecordSource?,
         next: CSVBlock, maxRows: Int) {
        self.importer = importer
        self.block = block
        self.records = records
        self.columns = columns
        self.source = source
        self.next = next
        self.maxRows = maxRows
    }

    /// Reads the source's next block (none when there is no source or `maxRows` is 0).
    func read() {
        guard let source, maxRows > 0 else {
            next.rows = 0
            return
        }
        do {
            try source.nextBlockByColumns(into: &next, maxRows: maxRows)
        } catch {
            next.rows = 0
            readError = error
        }
    }

    /// The block read, once every thread is done.
    func takeNext() -> CSVBlock {
        var taken = CSVBlock()
        swap(&taken, &next)
        return taken
    }

    /// Converts columns until none is left, setting each one's outcome.
    func convertColumns() {
        while let taken = takeColumns() {
            for column in taken {
                columns.convert(block, column: column, records: records, by: importer)
            }
        }
    }

    /// The columns a thread takes at a time: one of a narrow block (so no thread idles long at
    /// the end), up to 32 side by side of a wide one, whose fields then share the cache lines of
    /// the text that the thread has just read (a record's adjacent fields lie together).
    private var columnsTaken: Int { min(32, max(1, columns.count / 64)) }

    private func takeColumns() -> Range<Int>? {
        let count = columnsTaken
        return nextColumn.withLock { next in
            guard next < columns.count else { return nil }
            let taken = next..<min(next + count, columns.count)
            next = taken.upperBound
            return taken
        }
    }
}
