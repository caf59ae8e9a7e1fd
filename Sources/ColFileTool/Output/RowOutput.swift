import ColFile

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
                try writer.append(row: row, to: &buffer)
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
