/// The columns a writer has finished, in file order, for its directory: a ``FinishedColumn``
/// each, except the columns of a ``ColumnTable``, whose records' fields stay in the table (its
/// state of a column holds its declaration, counts and buffer descriptors once complete).
///
/// An import of 50,000 columns so keeps no 270-byte ``FinishedColumn`` a column: 13.6 MB of
/// fresh memory (3,300 page faults) its writer filled while completing the columns, read once
/// to encode the directory, then freed. A table column's ``FinishedColumn`` is made when the
/// directory encoder reads it (``subscript(_:)``).
///
/// Columns are listed as runs: columns finished one after another that are either consecutive
/// columns of one table or consecutive ``FinishedColumn``s here, one small entry a run (an
/// import's columns: one run, or one per change between table columns and streams).
struct FinishedColumns: RandomAccessCollection {
    /// A run of columns: from file index `start` up to the next run's start (or the end),
    /// columns `first`, `first + 1`, … of `table`, or of ``plain`` when `table` is nil.
    private struct Run {
        var start: Int
        var table: ColumnTable?
        var first: Int
    }

    /// The columns not in a table, in order.
    private var plain: [FinishedColumn] = []
    private var runs: [Run] = []
    /// The column after the last run's last, in its table or in ``plain``: a column that is
    /// that one extends the run.
    private var nextInRun = -1
    /// The number of columns.
    private(set) var endIndex = 0
    /// Whether some column is dictionary-encoded, and the bytes the columns' entries take in
    /// the directory's heap, kept as columns are appended (the directory encoder's first pass,
    /// without making each table column's ``FinishedColumn`` once more).
    private(set) var summary: (hasDictionary: Bool, heapLength: Int) = (false, 0)

    var startIndex: Int { 0 }

    /// Makes room for `count` more columns.
    mutating func reserveCapacity(_ count: Int) {
        plain.reserveCapacity(plain.count + count)
    }

    /// Appends a finished column.
    mutating func append(_ column: FinishedColumn) {
        if runs.isEmpty || runs[runs.count - 1].table != nil || nextInRun != plain.count {
            runs.append(Run(start: endIndex, table: nil, first: plain.count))
        }
        summary.hasDictionary = summary.hasDictionary || column.dictionary != nil
        summary.heapLength += DirectoryEncoder.heapLength(of: column.declaration)
        plain.append(column)
        nextInRun = plain.count
        endIndex += 1
    }

    /// Appends column `column` of `table`, complete (``ColumnTable/finishedColumn(_:)``).
    mutating func appendTableColumn(_ table: ColumnTable, _ column: Int) {
        if runs.isEmpty || runs[runs.count - 1].table !== table || nextInRun != column {
            runs.append(Run(start: endIndex, table: table, first: column))
        }
        summary.heapLength += table.heapLength(of: column)
        nextInRun = column + 1
        endIndex += 1
    }

    /// The column at `index` in file order.
    ///
    /// - Complexity: O(log runs).
    subscript(index: Int) -> FinishedColumn {
        precondition(index >= 0 && index < endIndex, "finished column out of range")
        // The last run that starts at or before `index`.
        var low = 0
        var high = runs.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if runs[middle].start <= index { low = middle } else { high = middle }
        }
        let run = runs[low]
        let position = run.first + index - run.start
        guard let table = run.table else { return plain[position] }
        return table.finishedColumn(position)
    }

    /// The first format minor version that has every feature of every column (§3), nil for no column.
    var minorVersion: UInt16? {
        var version: UInt16?
        for (slot, run) in runs.enumerated() {
            let end = run.first + (slot + 1 < runs.count ? runs[slot + 1].start : endIndex) - run.start
            let runVersion = if let table = run.table {
                table.minorVersion(of: run.first..<end)
            } else {
                plain[run.first..<end].map(\.minorVersion).max()!
            }
            version = Swift.max(version ?? runVersion, runVersion)
        }
        return version
    }
}
