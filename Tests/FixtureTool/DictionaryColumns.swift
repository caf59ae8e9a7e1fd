import ColFile
import ColFileTestSupport

/// A dictionary-encoded column of `expected` (physical type `Dictionary`, Fixtures/README.md): its
/// dictionary's entries parsed as values of the value type, each row's index that of the first
/// entry equal to the row's value, with the index type the JSON names.
func dictionaryColumn(_ expected: ExpectedColumn) throws -> FixtureColumn {
    guard let dictionary = expected.dictionary else {
        throw ToolError("column '\(expected.name)': a Dictionary column needs a \"dictionary\" object")
    }
    guard let indexType = PhysicalType.allCases.first(where: { $0.description == dictionary.indexType }) else {
        throw ToolError("column '\(expected.name)': unknown index type \(dictionary.indexType)")
    }
    let indices: [Int?] = try expected.values.map { value in
        guard value != .null else { return nil }
        // ExpectedValue compares text by its bytes, so "e\u{301}" finds its own entry, not "é".
        guard let index = dictionary.entries.firstIndex(of: value) else {
            throw ToolError("column '\(expected.name)': \(value) is not in the dictionary")
        }
        return index
    }
    let name = expected.name
    let metadata = expected.metadata
    let logicalType = try parseLogicalType(expected.logicalType)
    func values<Element: FixedWidthElement>(_ type: Element.Type, _ parse: (ExpectedValue) throws -> Element) throws
        -> FixtureColumn {
        .dictionary(name, indices: indices, values: try dictionary.entries.map(parse), indexType: indexType,
                    logicalType: logicalType, metadata: metadata)
    }
    switch dictionary.valueType {
    case "Int8": return try values(Int8.self, integer)
    case "Int16": return try values(Int16.self, integer)
    case "Int32": return try values(Int32.self, integer)
    case "Int64": return try values(Int64.self, integer)
    case "UInt8": return try values(UInt8.self, integer)
    case "UInt16": return try values(UInt16.self, integer)
    case "UInt32": return try values(UInt32.self, integer)
    case "UInt64": return try values(UInt64.self, integer)
    case "Float16": return try values(Float16.self) { try float($0, Float16.init(bitPattern:)) }
    case "Float32": return try values(Float.self) { try float($0, Float.init(bitPattern:)) }
    case "Float64": return try values(Double.self) { try float($0, Double.init(bitPattern:)) }
    case "String", "LargeString":
        let strings: [String] = try dictionary.entries.map { entry in
            guard case .text(let text) = entry else { throw ToolError("column '\(name)': \(entry) is not a string") }
            return text
        }
        return .dictionary(name, indices: indices, strings: strings, indexType: indexType, metadata: metadata)
    case "Binary", "LargeBinary":
        let bytes: [[UInt8]] = try dictionary.entries.map { entry in
            guard case .text(let text) = entry else { throw ToolError("column '\(name)': \(entry) is not hex text") }
            return try hexBytes(text)
        }
        return .dictionary(name, indices: indices, binary: bytes, indexType: indexType, metadata: metadata)
    default:
        throw ToolError("column '\(name)': a dictionary cannot hold \(dictionary.valueType) values")
    }
}
