import ColFile
import Foundation

/// One value of a table cell, ready to print as CSV, JSON or in a table.
enum CellValue {
    /// A null row.
    case null
    /// A number, in its shortest exact decimal form (a JSON number).
    case number(String)
    /// A Bool.
    case bool(Bool)
    /// Text: strings, dates, timestamps, base64 of binary values, and the non-finite floats
    /// `nan`, `inf`, `-inf` (JSON has no numbers for them, so they are JSON strings).
    case text(String)
    /// The values of a tensor row, flattened, as numbers.
    case list([String])
}

/// Reads the cells of one column of an open file through its zero-copy view.
struct ColumnCells {
    /// The file the column is read from.
    let reader: ColFileReader
    /// The column's description.
    let info: ColumnInfo
    /// The column's name.
    let name: String
    /// The column's type as people read it, e.g. `Int64`, `Timestamp(ms, UTC)`, `Float32[8]`.
    let typeName: String
    /// Whether values are numbers (right-aligned in tables).
    let isNumeric: Bool
    /// The cell of a row.
    let cell: (Int) -> CellValue

    /// The cells of column `info` of `reader`.
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read (for example a corrupt cold column).
    init(_ reader: ColFileReader, _ info: ColumnInfo) throws {
        self.reader = reader
        self.info = info
        name = info.name
        let shape = info.shape.isEmpty ? "" : "[" + info.shape.map(String.init).joined(separator: ", ") + "]"
        typeName = (info.logicalType == .none ? info.physicalType.description : info.logicalType.description) + shape
        isNumeric = info.physicalType.elementSize != nil && info.logicalType == .none
        cell = try Self.reader(reader, info)
    }

    private static func reader(_ reader: ColFileReader, _ info: ColumnInfo) throws -> (Int) -> CellValue {
        let name = info.name
        if !info.shape.isEmpty {
            switch info.physicalType {
            case .int8: return tensor(try reader.tensorColumn(name, as: Int8.self)) { String($0) }
            case .int16: return tensor(try reader.tensorColumn(name, as: Int16.self)) { String($0) }
            case .int32: return tensor(try reader.tensorColumn(name, as: Int32.self)) { String($0) }
            case .int64: return tensor(try reader.tensorColumn(name, as: Int64.self)) { String($0) }
            case .uint8: return tensor(try reader.tensorColumn(name, as: UInt8.self)) { String($0) }
            case .uint16: return tensor(try reader.tensorColumn(name, as: UInt16.self)) { String($0) }
            case .uint32: return tensor(try reader.tensorColumn(name, as: UInt32.self)) { String($0) }
            case .uint64: return tensor(try reader.tensorColumn(name, as: UInt64.self)) { String($0) }
            case .float16: return tensor(try reader.tensorColumn(name, as: Float16.self)) { floatText($0) }
            case .float32: return tensor(try reader.tensorColumn(name, as: Float.self)) { floatText($0) }
            case .float64: return tensor(try reader.tensorColumn(name, as: Double.self)) { floatText($0) }
            default: return { _ in .null }
            }
        }
        switch (info.physicalType, info.logicalType) {
        case (.int32, .date):
            let column = try reader.column(name, as: Int32.self)
            return { row in column.value(at: row).map { .text(CivilTime.dateText(days: Int($0))) } ?? .null }
        case (.int64, .timestamp(let unit, let zone)):
            let column = try reader.column(name, as: Int64.self)
            return { row in
                column.value(at: row).map { .text(CivilTime.timestampText($0, unit: unit, zoned: zone != nil)) } ?? .null
            }
        case (.int8, _): return integers(try reader.column(name, as: Int8.self))
        case (.int16, _): return integers(try reader.column(name, as: Int16.self))
        case (.int32, _): return integers(try reader.column(name, as: Int32.self))
        case (.int64, _): return integers(try reader.column(name, as: Int64.self))
        case (.uint8, _): return integers(try reader.column(name, as: UInt8.self))
        case (.uint16, _): return integers(try reader.column(name, as: UInt16.self))
        case (.uint32, _): return integers(try reader.column(name, as: UInt32.self))
        case (.uint64, _): return integers(try reader.column(name, as: UInt64.self))
        case (.float16, _): return floats(try reader.column(name, as: Float16.self))
        case (.float32, _): return floats(try reader.column(name, as: Float.self))
        case (.float64, _): return floats(try reader.column(name, as: Double.self))
        case (.bool, _):
            let column = try reader.boolColumn(name)
            return { row in column.value(at: row).map(CellValue.bool) ?? .null }
        case (.string, _), (.largeString, _):
            let column = try reader.stringColumn(name)
            return { row in column.value(at: row).map(CellValue.text) ?? .null }
        case (.binary, _), (.largeBinary, _):
            let column = try reader.binaryColumn(name)
            return { row in column.value(at: row).map { .text(Data($0.array).base64EncodedString()) } ?? .null }
        }
    }

    private static func integers<T: FixedWidthElement & BinaryInteger>(_ column: FixedWidthColumn<T>) -> (Int) -> CellValue {
        { row in column.value(at: row).map { .number(String($0)) } ?? .null }
    }

    private static func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(
        _ column: FixedWidthColumn<T>
    ) -> (Int) -> CellValue {
        { row in
            guard let value = column.value(at: row) else { return .null }
            return value.isFinite ? .number(floatText(value)) : .text(floatText(value))
        }
    }

    /// The shortest text that reads back as exactly `value` (Swift's `description`).
    private static func floatText<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> String {
        value.description
    }

    private static func tensor<T: FixedWidthElement>(_ column: TensorColumn<T>, _ text: @escaping (T) -> String)
        -> (Int) -> CellValue {
        { row in column.isNull(row) ? .null : .list(column[row].map(text)) }
    }
}

/// Text forms of cells for each output format.
enum CellText {
    /// A CSV field (RFC 4180), quoted as ``quotedIfNeeded(_:)`` says; nulls are empty fields.
    static func csv(_ value: CellValue) -> String {
        switch value {
        case .null: return ""
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return quotedIfNeeded(text)
        case .list(let items): return quotedIfNeeded("[" + items.joined(separator: ",") + "]")
        }
    }

    /// `text` as a CSV field: quoted when it holds a comma, quote, CR or LF, has spaces at either
    /// end, or would read back as null (empty, `NA`, `NULL`, `null`: `colfile import` takes only
    /// unquoted fields as nulls).
    static func quotedIfNeeded(_ text: String) -> String {
        var field: [UInt8] = []
        appendCSVField(text.utf8, to: &field)
        return String(decoding: field, as: UTF8.self)
    }

    /// Appends the UTF-8 `bytes` to `line` as a CSV field, quoted (quotes doubled) as
    /// ``quotedIfNeeded(_:)`` says.
    static func appendCSVField(_ bytes: some BidirectionalCollection<UInt8>, to line: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        var hasSeparator = false
        var hasQuote = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","), 10, 13: hasSeparator = true
            case quote: hasQuote = true
            default: break
            }
        }
        let space = UInt8(ascii: " ")
        guard hasSeparator || hasQuote || bytes.first == space || bytes.last == space || looksLikeNull(bytes) else {
            line.append(contentsOf: bytes)
            return
        }
        line.append(quote)
        if hasQuote {
            for byte in bytes {
                if byte == quote { line.append(quote) }
                line.append(byte)
            }
        } else {
            line.append(contentsOf: bytes)
        }
        line.append(quote)
    }

    /// Whether `bytes` are a text that is an unquoted null to `colfile import` by default: empty,
    /// `NA`, `NULL` or `null`.
    private static func looksLikeNull(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        switch bytes.count {
        case 0: true
        case 2: bytes.elementsEqual("NA".utf8)
        case 4: bytes.elementsEqual("NULL".utf8) || bytes.elementsEqual("null".utf8)
        default: false
        }
    }

    /// A JSON value.
    static func json(_ value: CellValue) -> String {
        switch value {
        case .null: return "null"
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .text(let text): return jsonString(text)
        case .list(let items): return "[" + items.map { Double($0)?.isFinite == false ? jsonString($0) : $0 }
            .joined(separator: ",") + "]"
        }
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var literal: [UInt8] = []
        appendJSONString(text.utf8, to: &literal)
        return String(decoding: literal, as: UTF8.self)
    }

    /// Appends the UTF-8 `bytes` to `line` as a JSON string literal: quotes, backslashes and
    /// control characters escaped, everything else as it is.
    static func appendJSONString(_ bytes: some BidirectionalCollection<UInt8>, to line: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\")
        line.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), backslash: line.append(contentsOf: [backslash, byte])
            case UInt8(ascii: "\n"): line.append(contentsOf: [backslash, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): line.append(contentsOf: [backslash, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): line.append(contentsOf: [backslash, UInt8(ascii: "t")])
            case 0..<0x20: line.append(contentsOf: ("\\u" + TextFormatting.hex(byte, width: 4)).utf8)
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    /// A table cell: nulls as `∅`, control characters escaped, long text cut to `width` characters with `…`.
    static func table(_ value: CellValue, width: Int) -> String {
        let text: String
        switch value {
        case .null: return "∅"
        case .number(let number): text = number
        case .bool(let flag): text = flag ? "true" : "false"
        case .text(let string):
            text = TextFormatting.escapingControls(string)
        case .list(let items): text = "[" + items.joined(separator: ", ") + "]"
        }
        return text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
