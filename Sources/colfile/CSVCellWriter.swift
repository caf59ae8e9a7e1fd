import ColFile

/// Appends the CSV field of one column's cell to a line of bytes: the text ``CellText/csv(_:)``
/// gives for the column's ``ColumnCells``, without a `String` per cell (`colfile export` spent
/// most of its time making, quoting and joining them). Tensor and binary columns go through
/// ``ColumnCells``.
struct CSVCellWriter {
    private let appendCell: (Int, inout [UInt8]) -> Void

    /// The writer for column `info` of `reader`; `cells` are the column's cells for the types
    /// this writer does not handle itself.
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read.
    init(_ reader: ColFileReader, _ info: ColumnInfo, cells: ColumnCells) throws {
        let name = info.name
        guard info.shape.isEmpty else {
            appendCell = Self.fallback(cells)
            return
        }
        switch (info.physicalType, info.logicalType) {
        case (.int32, .date):
            let column = try reader.column(name, as: Int32.self)
            appendCell = { row, line in
                if let days = column.value(at: row) { CivilTime.appendDate(days: Int(days), to: &line) }
            }
        case (.int64, .timestamp(let unit, let zone)):
            let column = try reader.column(name, as: Int64.self)
            let zoned = zone != nil
            appendCell = { row, line in
                if let value = column.value(at: row) { CivilTime.appendTimestamp(value, unit: unit, zoned: zoned, to: &line) }
            }
        case (.int8, _): appendCell = Self.integers(try reader.column(name, as: Int8.self))
        case (.int16, _): appendCell = Self.integers(try reader.column(name, as: Int16.self))
        case (.int32, _): appendCell = Self.integers(try reader.column(name, as: Int32.self))
        case (.int64, _): appendCell = Self.integers(try reader.column(name, as: Int64.self))
        case (.uint8, _): appendCell = Self.integers(try reader.column(name, as: UInt8.self))
        case (.uint16, _): appendCell = Self.integers(try reader.column(name, as: UInt16.self))
        case (.uint32, _): appendCell = Self.integers(try reader.column(name, as: UInt32.self))
        case (.uint64, _): appendCell = Self.integers(try reader.column(name, as: UInt64.self))
        case (.float16, _): appendCell = Self.floats(try reader.column(name, as: Float16.self))
        case (.float32, _): appendCell = Self.floats(try reader.column(name, as: Float.self))
        case (.float64, _): appendCell = Self.floats(try reader.column(name, as: Double.self))
        case (.bool, _):
            let column = try reader.boolColumn(name)
            appendCell = { row, line in
                if let flag = column.value(at: row) { line.append(contentsOf: (flag ? "true" : "false").utf8) }
            }
        case (.string, _), (.largeString, _):
            let column = try reader.stringColumn(name)
            appendCell = { row, line in
                guard !column.isNull(row) else { return }
                let bytes = column.bytes(at: row)
                unsafe bytes.withUnsafeBytes { raw in
                    // Bytes that are not UTF-8 (a file not verified) print as the reader decodes
                    // them, with U+FFFD, as in every other output of the tool.
                    if (try? UTF8Span(validating: unsafe raw.assumingMemoryBound(to: UInt8.self).span)) != nil {
                        unsafe CellText.appendCSVField(raw, to: &line)
                    } else {
                        CellText.appendCSVField(bytes.string.utf8, to: &line)
                    }
                }
            }
        case (.binary, _), (.largeBinary, _):
            appendCell = Self.fallback(cells)
        }
    }

    /// Appends the field of `row` (nothing for a null: an empty field).
    func append(row: Int, to line: inout [UInt8]) {
        appendCell(row, &line)
    }

    private static func fallback(_ cells: ColumnCells) -> (Int, inout [UInt8]) -> Void {
        { row, line in line.append(contentsOf: CellText.csv(cells.cell(row)).utf8) }
    }

    private static func integers<T: FixedWidthElement & BinaryInteger>(_ column: FixedWidthColumn<T>)
        -> (Int, inout [UInt8]) -> Void {
        { row, line in
            guard let value = column.value(at: row) else { return }
            if value < 0 { line.append(UInt8(ascii: "-")) }
            appendDecimal(UInt64(value.magnitude), to: &line)
        }
    }

    /// The digits of `value`, most significant first.
    private static func appendDecimal(_ value: UInt64, to line: inout [UInt8]) {
        var count = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            count += 1
        }
        line.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var rest = value
        for index in stride(from: line.count - 1, through: line.count - count, by: -1) {
            line[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// The shortest text that reads back as exactly the value (as ``ColumnCells`` prints it):
    /// `nan`, `inf` and `-inf` need no quotes.
    private static func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(
        _ column: FixedWidthColumn<T>
    ) -> (Int, inout [UInt8]) -> Void {
        { row, line in
            if let value = column.value(at: row) { line.append(contentsOf: value.description.utf8) }
        }
    }
}
