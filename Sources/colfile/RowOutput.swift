import ArgumentParser
import Foundation
import ColFile

/// The formats rows are printed in.
enum RowFormat: String, ExpressibleByArgument, CaseIterable {
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON object per line.
    case jsonl
}

/// Streams rows of chosen columns to standard output as CSV or JSON lines.
enum RowOutput {
    /// Writes the header (CSV only) and the rows in `rows`: each row's cells are appended as
    /// bytes (``CellByteWriter``) to a buffer written 64 KiB at a time.
    static func write(_ columns: [ColumnCells], rows: Range<Int>, format: RowFormat, to output: StandardOutput,
                      progress: Progress? = nil) throws {
        let writers = try columns.map { try CellByteWriter($0.reader, $0.info, cells: $0, format: format) }
        // What comes before each cell of a row: CSV separates them with commas, JSON lines
        // opens an object and names each value.
        let prefixes: [[UInt8]]
        let rowEnd: [UInt8]
        switch format {
        case .csv:
            try output.write(columns.map { CellText.quotedIfNeeded($0.name) }.joined(separator: ",") + "\n")
            prefixes = columns.indices.map { $0 == 0 ? [] : [UInt8(ascii: ",")] }
            rowEnd = Array("\n".utf8)
        case .jsonl:
            prefixes = columns.indices.map { Array((($0 == 0 ? "{" : ",") + CellText.jsonString(columns[$0].name) + ":").utf8) }
            rowEnd = Array((columns.isEmpty ? "{}\n" : "}\n").utf8)
        }
        let bufferSize = 1 << 16
        var buffer: [UInt8] = []
        buffer.reserveCapacity(bufferSize + 4096)
        var written = 0
        for row in rows {
            for (writer, prefix) in zip(writers, prefixes) {
                buffer.append(contentsOf: prefix)
                writer.append(row: row, to: &buffer)
            }
            buffer.append(contentsOf: rowEnd)
            if buffer.count >= bufferSize {
                try output.write(bytes: buffer)
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
            if row % 4096 == 0 { progress?.update(rows: row - rows.lowerBound, bytes: written + buffer.count) }
        }
        try output.write(bytes: buffer)
        try output.flush()
    }
}

/// Options shared by the subcommands that read some columns of a file.
enum ColumnSelection {
    /// The columns named in `list` (comma-separated, ``NameList``), in that order, or every column.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` for an unknown name (exit status 2).
    static func columns(_ reader: ColFileReader, _ list: String?) throws -> [ColumnInfo] {
        guard let list else { return reader.columns }
        let names = try NameList.split(list, option: "--columns")
        guard !names.contains(where: \.isEmpty) else {
            throw ToolFailure.usage("--columns takes column names separated by commas")
        }
        return try names.map { try reader.info($0) }
    }
}

/// A `--rows START..END` range: half-open, rows counted from 0; either end may be left out.
enum RowRange {
    /// The rows of a table of `count` rows that `text` selects (clamped to the table).
    static func parse(_ text: String?, count: Int) throws -> Range<Int> {
        guard let text else { return 0..<count }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, parts[0].isEmpty || Int(parts[0]) != nil, parts[1].isEmpty || Int(parts[1]) != nil,
              !text.contains("...") else {
            throw ToolFailure.usage("--rows takes START..END (rows START to END-1, from 0), START.. or ..END")
        }
        let start = parts[0].isEmpty ? 0 : Int(parts[0])!
        let end = parts[1].isEmpty ? count : Int(parts[1])!
        guard start >= 0, end >= start else {
            throw ToolFailure.usage("--rows \(text): START must be at least 0 and END at least START")
        }
        return min(start, count)..<min(end, count)
    }
}
