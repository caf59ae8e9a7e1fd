import ColFile
import ColFileTestSupport
import Foundation

// colfile-fixture: a test-only tool for the cross-language tests of the Python package
// (python/tests/test_cross_language.py). It speaks the fixtures' JSON form (Fixtures/README.md):
//
//   colfile-fixture dump FILE
//       prints the JSON description of FILE (ExpectedFile(reading:)), read through the library's
//       typed views with the default reader options (cold columns through the shared cache,
//       $COLFILE_CACHE_DIR when set).
//   colfile-fixture verify FILE
//       opens FILE and runs the library's full verification (ColFileReader.verify()); prints the
//       error's description unescaped (the colfile tool escapes control characters for terminals).
//   colfile-fixture write JSON OUT [--compress zlib|auto|none] [--chunk-size N] [--streamed]
//       writes OUT from a JSON description with ColFileWriter, every column whole (or streamed
//       row by row with --streamed), compressed as --compress says (default none). A Dictionary
//       column is written with addDictionaryColumn (streamDictionaryColumn when streamed), with the
//       index type its JSON names.
//
// Exit status: 0 success; 1 a ColFileError (its description on stderr); 2 a usage or JSON error.

/// A usage or input error of this tool.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The column of `expected`, as the test support's FixtureColumn (so it is written the way the
/// Swift tests write their tables).
func fixtureColumn(_ expected: ExpectedColumn) throws -> FixtureColumn {
    switch expected.physicalType {
    case "Int8": return try fixed(expected, Int8.self, parse: integer)
    case "Int16": return try fixed(expected, Int16.self, parse: integer)
    case "Int32": return try fixed(expected, Int32.self, parse: integer)
    case "Int64": return try fixed(expected, Int64.self, parse: integer)
    case "UInt8": return try fixed(expected, UInt8.self, parse: integer)
    case "UInt16": return try fixed(expected, UInt16.self, parse: integer)
    case "UInt32": return try fixed(expected, UInt32.self, parse: integer)
    case "UInt64": return try fixed(expected, UInt64.self, parse: integer)
    case "Float16": return try fixed(expected, Float16.self) { try float($0, Float16.init(bitPattern:)) }
    case "Float32": return try fixed(expected, Float.self) { try float($0, Float.init(bitPattern:)) }
    case "Float64": return try fixed(expected, Double.self) { try float($0, Double.init(bitPattern:)) }
    case "Bool":
        let values: [Bool?] = try expected.values.map { value in
            switch value {
            case .null: return nil
            case .bool(let flag): return flag
            default: throw ToolError("column '\(expected.name)': \(value) is not a Bool")
            }
        }
        return .bool(expected.name, values, metadata: expected.metadata)
    case "String", "LargeString":
        let values: [String?] = try expected.values.map { value in
            switch value {
            case .null: return nil
            case .text(let text): return text
            default: throw ToolError("column '\(expected.name)': \(value) is not a string")
            }
        }
        return .string(expected.name, values, metadata: expected.metadata)
    case "Binary", "LargeBinary":
        let values: [[UInt8]?] = try expected.values.map { value in
            switch value {
            case .null: return nil
            case .text(let text): return try hexBytes(text)
            default: throw ToolError("column '\(expected.name)': \(value) is not hex text")
            }
        }
        return .binary(expected.name, values, metadata: expected.metadata)
    case "Dictionary":
        return try dictionaryColumn(expected)
    default:
        throw ToolError("column '\(expected.name)': unknown physical type \(expected.physicalType)")
    }
}

/// A scalar or tensor column of `Element`, each value parsed by `parse`.
func fixed<Element: FixedWidthElement>(_ expected: ExpectedColumn, _ type: Element.Type,
                                        parse: (ExpectedValue) throws -> Element) throws -> FixtureColumn {
    let logicalType = try parseLogicalType(expected.logicalType)
    if expected.shape.isEmpty {
        let values: [Element?] = try expected.values.map { $0 == .null ? nil : try parse($0) }
        return .fixed(expected.name, values, logicalType: logicalType, metadata: expected.metadata)
    }
    let rows: [[Element]?] = try expected.values.map { row in
        switch row {
        case .null: return nil
        case .array(let items): return try items.map(parse)
        default: throw ToolError("column '\(expected.name)': a tensor row must be an array, not \(row)")
        }
    }
    return .tensor(expected.name, shape: expected.shape, rows, metadata: expected.metadata)
}

/// An integer spelled as a JSON number.
func integer<Element: FixedWidthInteger>(_ value: ExpectedValue) throws -> Element {
    guard case .integer(let text) = value, let number = Element(text) else {
        throw ToolError("\(value) is not an integer of type \(Element.self)")
    }
    return number
}

/// A floating-point value spelled as text: decimal, `inf`, `-inf` or `nan(0xBITS)`.
func float<Element: BinaryFloatingPoint & LosslessStringConvertible, Bits: FixedWidthInteger>(
    _ value: ExpectedValue, _ fromBits: (Bits) -> Element
) throws -> Element {
    guard case .text(let text) = value else { throw ToolError("\(value) is not a floating-point text") }
    switch text {
    case "inf": return .infinity
    case "-inf": return -.infinity
    default: break
    }
    if text.hasPrefix("nan(0x"), text.hasSuffix(")") {
        let digits = text.dropFirst(6).dropLast()
        guard let bits = Bits(digits, radix: 16) else { throw ToolError("bad NaN bits in \(text)") }
        return fromBits(bits)
    }
    guard let number = Element(text) else { throw ToolError("\(text) is not a number of type \(Element.self)") }
    return number
}

/// The bytes of lowercase or uppercase hex text.
func hexBytes(_ text: String) throws -> [UInt8] {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { throw ToolError("odd-length hex text \(text)") }
    return try stride(from: 0, to: digits.count, by: 2).map { index in
        guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
            throw ToolError("bad hex text \(text)")
        }
        return byte
    }
}

/// `none`, `Date`, `Timestamp(UNIT)` or `Timestamp(UNIT, ZONE)` (Fixtures/README.md).
func parseLogicalType(_ text: String) throws -> LogicalType {
    if text == "none" { return .none }
    if text == "Date" { return .date }
    guard text.hasPrefix("Timestamp("), text.hasSuffix(")") else { throw ToolError("unknown logical type \(text)") }
    let inner = text.dropFirst("Timestamp(".count).dropLast()
    let unitText: Substring
    var zone: String?
    if let comma = inner.firstIndex(of: ",") {
        unitText = inner[..<comma]
        zone = String(inner[inner.index(after: comma)...].drop { $0 == " " })
    } else {
        unitText = inner
    }
    guard let unit = TimeUnit.allCases.first(where: { $0.description == unitText }) else {
        throw ToolError("unknown time unit in \(text)")
    }
    return .timestamp(unit: unit, timeZone: zone)
}

func writeStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func run(_ arguments: [String]) throws {
    guard let command = arguments.first else {
        throw ToolError("usage: colfile-fixture dump FILE | verify FILE | write JSON OUT [--compress zlib|zstd|auto|none] [--level N] [--chunk-size N] [--streamed]")
    }
    switch command {
    case "dump":
        guard arguments.count == 2 else { throw ToolError("usage: colfile-fixture dump FILE") }
        let reader = try ColFileReader.open(arguments[1])
        FileHandle.standardOutput.write(Data(try ExpectedFile(reading: reader).json()))
    case "verify":
        guard arguments.count == 2 else { throw ToolError("usage: colfile-fixture verify FILE") }
        try ColFileReader.open(arguments[1]).verify()
    case "write":
        guard arguments.count >= 3 else { throw ToolError("usage: colfile-fixture write JSON OUT [options]") }
        var compressName = "none"
        var chunkSize: Int?
        var level: Int?
        var mode = WriteMode.whole
        var rest = arguments.dropFirst(3).makeIterator()
        while let option = rest.next() {
            switch option {
            case "--compress":
                guard let value = rest.next() else { throw ToolError("--compress needs a value") }
                compressName = value
            case "--level":
                guard let value = rest.next(), let number = Int(value) else { throw ToolError("--level needs a number") }
                level = number
            case "--chunk-size":
                guard let value = rest.next(), let size = Int(value) else { throw ToolError("--chunk-size needs a number") }
                chunkSize = size
            case "--streamed":
                mode = .streamed
            default:
                throw ToolError("unknown option \(option)")
            }
        }
        let compression: Compression
        switch compressName {
        case "none": compression = .none
        case "zlib": compression = .zlib(level: level ?? 6, chunkSize: chunkSize ?? Compression.defaultZlibChunkSize)
        case "zstd": compression = .zstd(level: level ?? Compression.defaultZstdLevel, chunkSize: chunkSize)
        case "auto": compression = .auto()
        default: throw ToolError("--compress takes zlib, zstd, auto or none")
        }
        let json = try Data(contentsOf: URL(fileURLWithPath: arguments[1]))
        let description = try ExpectedFile.decode(json: Array(json))
        let columns = try description.columns.map(fixtureColumn)
        try mode.write(columns, metadata: description.metadata, to: arguments[2], compression: compression)
    default:
        throw ToolError("unknown command \(command)")
    }
}

do {
    try run(Array(CommandLine.arguments.dropFirst()))
} catch let error as ColFileError {
    writeStandardError(error.description)
    exit(1)
} catch {
    writeStandardError("colfile-fixture: \(error)")
    exit(2)
}
