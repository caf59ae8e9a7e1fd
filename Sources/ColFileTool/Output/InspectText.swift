import ColFile

/// The readable summary `colfile inspect` prints.
enum InspectText {
    /// The summary of the file `reader` has open: a block of file facts, then a table of columns.
    static func render(_ reader: ColFileReader) throws -> String {
        var lines = ["\(reader.path): colfile format \(reader.formatVersion)"]
        let facts = [
            ("file id", reader.identity.fileIDHex),
            ("identity", reader.identity.description),
            ("size", "\(TextFormatting.grouped(reader.fileBytes)) bytes (\(TextFormatting.bytes(reader.fileBytes)))"),
            ("rows", TextFormatting.grouped(reader.rowCount)),
            ("columns", TextFormatting.grouped(reader.columnCount)),
        ]
        lines += facts.map { "  " + $0.0.padded(toWidth: 10) + $0.1 }
        lines += metadataLines(reader.metadata, title: "metadata")
        let columns = try reader.columns
        if !columns.isEmpty {
            lines.append("")
            lines += columnTable(columns).lines(indent: "  ")
        }
        for column in columns where !column.metadata.isEmpty {
            lines += metadataLines(column.metadata, title: "column '\(TextFormatting.escapingControls(column.name))' metadata")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per metadata entry, sorted by key, or `none`.
    static func metadataLines(_ metadata: [String: String], title: String) -> [String] {
        guard !metadata.isEmpty else { return ["  " + title.padded(toWidth: 10) + "none"] }
        return ["  \(title):"] + metadata.sorted { $0.key < $1.key }.map {
            "    \(TextFormatting.escapingControls($0.key)) = \(TextFormatting.escapingControls($0.value))"
        }
    }

    private static func columnTable(_ columns: [ColumnInfo]) -> TextTable {
        // A `dictionary` column only for files that have dictionary-encoded columns.
        let hasDictionaries = columns.contains(where: \.isDictionaryEncoded)
        var headings: [(String, TextTable.Alignment)] = [
            ("name", .left), ("type", .left), ("logical", .left), ("shape", .left), ("nulls", .right),
            ("stored bytes", .right), ("codec", .left), ("chunks", .right), ("ratio", .right),
            ("offset", .right), ("align", .right), ("crc32", .left),
        ]
        if hasDictionaries { headings.append(("dictionary", .left)) }
        var table = TextTable(headings)
        for column in columns {
            let first = column.buffers.first { $0.storedLength > 0 }
            let extra = hasDictionaries ? [dictionaryText(column)] : []
            let values = column.buffers.first { $0.role == .values }
            // A column of a type or codec this version does not know (Specification.md §9 step 14.2).
            let type = column.unreadable == nil ? column.physicalType.description : "unknown"
            let codec = column.unreadable == nil ? column.codec.description : "unknown"
            table.rows.append([
                TextFormatting.escapingControls(column.name),
                type,
                column.logicalType == .none ? "-" : column.logicalType.description,
                column.shape.isEmpty ? "-" : "[" + column.shape.map(String.init).joined(separator: ", ") + "]",
                column.isNullable ? TextFormatting.grouped(column.nullCount) : "-",
                TextFormatting.grouped(column.storedBytes),
                codec,
                chunks(column),
                column.isCompressed && column.rawBytes > 0
                    ? TextFormatting.fixed(Double(column.storedBytes) / Double(column.rawBytes), digits: 2) : "-",
                first.map { String($0.offset) } ?? "-",
                first.map { String(alignment(of: $0.offset)) } ?? "-",
                values.map { TextFormatting.hex($0.checksum, width: 8) } ?? "-",
            ] + extra)
        }
        return table
    }

    /// For a dictionary-encoded column, `String, 16 entries, Int8 indices`; else `-`.
    static func dictionaryText(_ column: ColumnInfo) -> String {
        guard let dictionary = column.dictionary else { return "-" }
        let entries = dictionary.entryCount == 1 ? "1 entry" : "\(TextFormatting.grouped(dictionary.entryCount)) entries"
        return "\(dictionary.valueType), \(entries), \(dictionary.indexType) indices"
    }

    /// For a cold column, its chunks as `COUNT×SIZE` (the values buffer's, e.g. `12×64K`); else `-`.
    private static func chunks(_ column: ColumnInfo) -> String {
        guard column.isCompressed, let values = column.buffers.first(where: { $0.role == .values }),
              values.chunkCount > 0 else { return "-" }
        let total = column.buffers.reduce(0) { $0 + $1.chunkCount }
        let size = values.chunkSize % 1024 == 0 ? "\(values.chunkSize / 1024)K" : String(values.chunkSize)
        return total == values.chunkCount ? "\(total)×\(size)" : "\(total)×\(size)+"
    }

    /// The largest power of two that divides `offset`, at most 4096 (the page size).
    static func alignment(of offset: UInt64) -> UInt64 {
        UInt64(1) << min(12, offset.trailingZeroBitCount)
    }
}
