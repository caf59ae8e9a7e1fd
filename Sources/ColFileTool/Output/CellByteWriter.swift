import ColFile
import ColFileCSV

/// Appends the text of one column's cell to a line of bytes, as a CSV field or a JSON value:
/// what ``CellText/csv(_:)`` or ``CellText/json(_:)`` give for the column's ``ColumnCells``,
/// without a `String` per cell (`colfile export` spent most of its time making, quoting and
/// joining them). Tensor and binary columns, and columns read through their chunks
/// (``ColumnCells/readsChunks``), go through ``ColumnCells``.
package struct CellByteWriter {
    private let appendCell: (Int, inout [UInt8]) throws -> Void

    /// The writer of column `info` of `reader` in `format`; `cells` are the column's cells for
    /// the types this writer does not handle itself.
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read.
    package init(_ reader: ColFileReader, _ info: ColumnInfo, cells: ColumnCells, format: RowFormat) throws {
        let name = info.name
        // Tensor rows, and a cold column's rows read through their chunks, go through the cells.
        guard info.shape.isEmpty, !cells.readsChunks else {
            appendCell = Self.fallback(cells, format: format)
            return
        }
        if let entryCells = cells.entryCells {
            // A dictionary-encoded column: each entry's text once, each row its entry's.
            let column = try reader.dictionaryColumn(name)
            let null: [UInt8] = format == .csv ? [] : Array("null".utf8)
            let entries = entryCells.map { Array((format == .csv ? CellText.csv($0) : CellText.json($0)).utf8) }
            appendCell = { row, line in line.append(contentsOf: column.index(at: row).map { entries[$0] } ?? null) }
            return
        }
        // CSV prints a null as an empty field and text as it is (quoted when needed); JSON
        // prints null, and dates, timestamps and non-finite floats as strings.
        let null: [UInt8] = format == .csv ? [] : Array("null".utf8)
        let textQuote: [UInt8] = format == .csv ? [] : [UInt8(ascii: "\"")]
        switch (info.physicalType, info.logicalType) {
        case (.int32, .date):
            let column = try reader.column(name, as: Int32.self)
            appendCell = { row, line in
                guard let days = column.value(at: row) else { return line.append(contentsOf: null) }
                line.append(contentsOf: textQuote)
                CivilTime.appendDate(days: Int(days), to: &line)
                line.append(contentsOf: textQuote)
            }
        case (.int64, .timestamp(let unit, let zone)):
            let column = try reader.column(name, as: Int64.self)
            let zoned = zone != nil
            appendCell = { row, line in
                guard let value = column.value(at: row) else { return line.append(contentsOf: null) }
                line.append(contentsOf: textQuote)
                CivilTime.appendTimestamp(value, unit: unit, zoned: zoned, to: &line)
                line.append(contentsOf: textQuote)
            }
        case (.int8, _): appendCell = Self.integers(try reader.column(name, as: Int8.self), null: null)
        case (.int16, _): appendCell = Self.integers(try reader.column(name, as: Int16.self), null: null)
        case (.int32, _): appendCell = Self.integers(try reader.column(name, as: Int32.self), null: null)
        case (.int64, _): appendCell = Self.integers(try reader.column(name, as: Int64.self), null: null)
        case (.uint8, _): appendCell = Self.integers(try reader.column(name, as: UInt8.self), null: null)
        case (.uint16, _): appendCell = Self.integers(try reader.column(name, as: UInt16.self), null: null)
        case (.uint32, _): appendCell = Self.integers(try reader.column(name, as: UInt32.self), null: null)
        case (.uint64, _): appendCell = Self.integers(try reader.column(name, as: UInt64.self), null: null)
        case (.float16, _): appendCell = Self.floats(try reader.column(name, as: Float16.self), null: null, textQuote: textQuote)
        case (.float32, _): appendCell = Self.floats(try reader.column(name, as: Float.self), null: null, textQuote: textQuote)
        case (.float64, _): appendCell = Self.floats(try reader.column(name, as: Double.self), null: null, textQuote: textQuote)
        case (.bool, _):
            let column = try reader.boolColumn(name)
            appendCell = { row, line in
                guard let flag = column.value(at: row) else { return line.append(contentsOf: null) }
                line.append(contentsOf: (flag ? "true" : "false").utf8)
            }
        case (.string, _), (.largeString, _):
            let column = try reader.stringColumn(name)
            let isCSV = format == .csv
            appendCell = { row, line in
                guard !column.isNull(row) else { return line.append(contentsOf: null) }
                // The column's UTF-8 was checked before its first value was served (Specification.md §6.1).
                column.bytes(at: row).withSpan { span in
                    unsafe span.withUnsafeBufferPointer { raw in
                        if isCSV { unsafe CellText.appendCSVField(raw, to: &line) } else { unsafe CellText.appendJSONString(raw, to: &line) }
                    }
                }
            }
        case (.binary, _), (.largeBinary, _), (.dictionary, _):
            appendCell = Self.fallback(cells, format: format)
        }
    }

    /// Appends the field of `row` (nothing for a null: an empty field).
    ///
    /// - Throws: ``ColFileError`` only for a column read through its chunks, when a chunk holding
    ///   the row cannot be decoded.
    package func append(row: Int, to line: inout [UInt8]) throws {
        try appendCell(row, &line)
    }

    private static func fallback(_ cells: ColumnCells, format: RowFormat) -> (Int, inout [UInt8]) throws -> Void {
        switch format {
        case .csv: { row, line in line.append(contentsOf: CellText.csv(try cells.cell(row)).utf8) }
        case .jsonl: { row, line in line.append(contentsOf: CellText.json(try cells.cell(row)).utf8) }
        }
    }

    private static func integers<T: FixedWidthElement & BinaryInteger>(_ column: FixedWidthColumn<T>, null: [UInt8])
        -> (Int, inout [UInt8]) -> Void {
        { row, line in
            guard let value = column.value(at: row) else { return line.append(contentsOf: null) }
            if value < 0 { line.append(UInt8(ascii: "-")) }
            DecimalText.append(UInt64(value.magnitude), to: &line)
        }
    }

    /// The shortest text that reads back as exactly the value (as ``ColumnCells`` prints it);
    /// `nan`, `inf` and `-inf` are text (a JSON string; no quotes needed in CSV).
    private static func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(
        _ column: FixedWidthColumn<T>, null: [UInt8], textQuote: [UInt8]
    ) -> (Int, inout [UInt8]) -> Void {
        { row, line in
            guard let value = column.value(at: row) else { return line.append(contentsOf: null) }
            if !value.isFinite { line.append(contentsOf: textQuote) }
            line.append(contentsOf: value.description.utf8)
            if !value.isFinite { line.append(contentsOf: textQuote) }
        }
    }
}
