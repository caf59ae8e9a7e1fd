import ColFile

/// Streams rows of chosen columns to standard output as CSV or JSON lines, from one reader or from
/// several in turn (a dataset's shards): each row's cells are appended as bytes
/// (``CellByteWriter``) to a buffer written 64 KiB at a time.
struct RowOutput {
    private let output: StandardOutput
    private let format: RowFormat
    private let progress: Progress?
    /// What comes before each cell of a row: CSV separates them with commas, JSON lines opens an
    /// object and names each value.
    private let prefixes: [[UInt8]]
    private let rowEnd: [UInt8]
    private static let bufferSize = 1 << 16
    private var buffer: [UInt8] = []
    private var rowsWritten = 0
    private var bytesWritten = 0

    /// Starts the output of the columns `names` (writing the CSV header).
    init(names: [String], format: RowFormat, to output: StandardOutput, progress: Progress? = nil) throws {
        self.output = output
        self.format = format
        self.progress = progress
        switch format {
        case .csv:
            try output.write(names.map(CellText.quotedIfNeeded).joined(separator: ",") + "\n")
            prefixes = names.indices.map { $0 == 0 ? [] : [UInt8(ascii: ",")] }
            rowEnd = Array("\n".utf8)
        case .jsonl:
            prefixes = names.indices.map { Array((($0 == 0 ? "{" : ",") + CellText.jsonString(names[$0]) + ":").utf8) }
            rowEnd = Array((names.isEmpty ? "{}\n" : "}\n").utf8)
        }
        buffer.reserveCapacity(Self.bufferSize + 4096)
    }

    /// Writes the rows in `rows` of `columns`, which are the columns this output was started with,
    /// in order, of one reader.
    mutating func write(_ columns: [ColumnCells], rows: Range<Int>) throws {
        precondition(columns.count == prefixes.count, "cells of other columns than the header's")
        let writers = try columns.map { try CellByteWriter($0.reader, $0.info, cells: $0, format: format) }
        try Self.write(writers, rows: rows, prefixes: prefixes, rowEnd: rowEnd, buffer: &buffer, to: output,
                       bytesWritten: &bytesWritten, rowsBefore: rowsWritten - rows.lowerBound, progress: progress)
        rowsWritten += rows.count
    }

    /// The loop of ``write(_:rows:)``, on arguments: written as the method's own loop, over the
    /// properties of `self` or over local copies of them, an export of the flights file took 1.03–1.06×
    /// the time of this one (farm-bench, 21–41 pairs).
    private static func write(_ writers: [CellByteWriter], rows: Range<Int>, prefixes: [[UInt8]], rowEnd: [UInt8],
                              buffer: inout [UInt8], to output: StandardOutput, bytesWritten: inout Int,
                              rowsBefore: Int, progress: Progress?) throws {
        for row in rows {
            for (writer, prefix) in zip(writers, prefixes) {
                buffer.append(contentsOf: prefix)
                try writer.append(row: row, to: &buffer)
            }
            buffer.append(contentsOf: rowEnd)
            if buffer.count >= bufferSize {
                try output.write(bytes: buffer)
                bytesWritten += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
            if row % 4096 == 0 { progress?.update(rows: row + rowsBefore, bytes: bytesWritten + buffer.count) }
        }
    }

    /// Writes what is buffered and flushes standard output.
    mutating func finish() throws {
        try output.write(bytes: buffer)
        bytesWritten += buffer.count
        buffer.removeAll()
        try output.flush()
    }
}
