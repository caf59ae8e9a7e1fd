/// The columns a writer has finished, in file order, for its directory: a ``FinishedColumn``
/// each, except the columns of a ``ColumnTable``, whose records' fields stay in the table (its
/// state of a column holds its declaration, counts and buffer descriptors once complete) and
/// which are listed as runs of columns completed one after another.
///
/// An import of 50,000 columns, one run, so keeps no 270-byte ``FinishedColumn`` a column: 13.6
/// MB of fresh memory (3,300 page faults) its writer filled while completing the columns, read
/// once to encode the directory, then freed. A column's ``FinishedColumn`` is made when the
/// directory encoder reads it (``subscript(_:)``).
struct FinishedColumns: RandomAccessCollection {
    private enum Entry {
        case column(FinishedColumn)
        /// Columns `columns` of `table`, complete, in this order.
        case table(ColumnTable, Range<Int>)
    }

    private var entries: [Entry] = []
    /// The index (in file order) of each entry's first column.
    private var starts: [Int] = []
    /// The number of columns.
    private(set) var endIndex = 0

    var startIndex: Int { 0 }

    /// Makes room for `count` more columns (as many entries: one a column at most).
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(entries.count + count)
        starts.reserveCapacity(starts.count + count)
    }

    /// Appends a finished column.
    mutating func append(_ column: FinishedColumn) {
        entries.append(.column(column))
        starts.append(endIndex)
        endIndex += 1
    }

    /// Appends column `column` of `table`, complete (``ColumnTable/finishedColumn(_:)``): it
    /// extends the last run when it is the column after that run's last.
    mutating func appendTableColumn(_ table: ColumnTable, _ column: Int) {
        if case .table(let last, let run) = entries.last, last === table, run.upperBound == column {
            entries[entries.count - 1] = .table(table, run.lowerBound..<(column + 1))
        } else {
            entries.append(.table(table, column..<(column + 1)))
            starts.append(endIndex)
        }
        endIndex += 1
    }

    /// The column at `index` in file order.
    ///
    /// - Complexity: O(log entries).
    subscript(index: Int) -> FinishedColumn {
        precondition(index >= 0 && index < endIndex, "finished column out of range")
        // The last entry whose first column is at or before `index`.
        var low = 0
        var high = starts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if starts[middle] <= index { low = middle } else { high = middle }
        }
        switch entries[low] {
        case .column(let column): return column
        case .table(let table, let run): return table.finishedColumn(run.lowerBound + index - starts[low])
        }
    }

    /// The first format minor version that has every feature of every column (§3), nil for no column.
    var minorVersion: UInt16? {
        var version: UInt16?
        for entry in entries {
            let entryVersion = switch entry {
            case .column(let column): column.minorVersion
            case .table(let table, let run): table.minorVersion(of: run)
            }
            version = Swift.max(version ?? entryVersion, entryVersion)
        }
        return version
    }
}
