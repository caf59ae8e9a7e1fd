import FoundationEssentials

/// A dataset's schema as the JSON text of a manifest's `colfile.dataset.schema` metadata
/// (Specification.md §14.3): written in one canonical form, so that the Swift and Python writers
/// write the same bytes, and read from any JSON of that structure.
enum DatasetSchemaText {
    /// The canonical JSON of `columns`: an array of objects with the keys `name`, `type`,
    /// `logicalType`, `timeUnit` and `timeZone` (Timestamp only), `shape` and `nullable`, in that
    /// order, no whitespace, strings escaped as ``quoted(_:)`` says.
    static func encode(_ columns: [DatasetColumn]) -> String {
        "[" + columns.map(encode(column:)).joined(separator: ",") + "]"
    }

    private static func encode(column: DatasetColumn) -> String {
        var fields = ["\"name\":" + quoted(column.name), "\"type\":" + quoted(column.physicalType.description)]
        switch column.logicalType {
        case .none, .unknown:
            fields.append("\"logicalType\":\"none\"")
        case .date:
            fields.append("\"logicalType\":\"Date\"")
        case .timestamp(let unit, let zone):
            fields.append("\"logicalType\":\"Timestamp\"")
            fields.append("\"timeUnit\":" + quoted(unit.description))
            if let zone { fields.append("\"timeZone\":" + quoted(zone)) }
        }
        fields.append("\"shape\":[" + column.shape.map(String.init).joined(separator: ",") + "]")
        fields.append("\"nullable\":" + (column.isNullable ? "true" : "false"))
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string: `"` and `\` escaped with a backslash, U+0008, U+0009, U+000A,
    /// U+000C and U+000D as `\b`, `\t`, `\n`, `\f`, `\r`, other code points below U+0020 as
    /// `\u00xx` (lowercase hex), everything else as its UTF-8 bytes (what Python's
    /// `json.dumps(…, ensure_ascii=False)` writes).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\u{0C}": result += "\\f"
            case "\r": result += "\\r"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// One column object as JSON holds it; unknown keys are ignored (a later layout may add some).
    private struct Entry: Decodable {
        var name: String
        var type: String
        var logicalType: String
        var timeUnit: String?
        var timeZone: String?
        var shape: [Int]
        var nullable: Bool
    }

    /// The columns `text` describes.
    ///
    /// - Throws: ``ColFileError/Code/badManifest`` (about `path`) naming the first problem.
    static func decode(_ text: String, path: String) throws -> [DatasetColumn] {
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
        } catch {
            throw ColFileError(.badManifest, path: path,
                               message: "the schema (\(ManifestLayout.schemaKey)) is not a JSON array of column descriptions")
        }
        var names = Set<String>()
        return try entries.enumerated().map { index, entry in
            func problem(_ message: String) -> ColFileError {
                ColFileError(.badManifest, path: path, message: "schema column \(index): " + message)
            }
            guard (1...FormatLimits.maxNameLength).contains(entry.name.utf8.count) else {
                throw problem("a column name is 1 to 1024 bytes")
            }
            guard names.insert(entry.name).inserted else { throw problem("the name '\(entry.name)' appears twice") }
            guard let type = PhysicalType.allCases.first(where: {
                $0.description == entry.type && DatasetColumn.kind(of: $0) == $0
            }) else {
                throw problem("unknown type '\(entry.type)'")
            }
            let logical: LogicalType
            switch entry.logicalType {
            case "none", "Date":
                guard entry.timeUnit == nil, entry.timeZone == nil else {
                    throw problem("only a Timestamp has a time unit or a time zone")
                }
                logical = entry.logicalType == "none" ? .none : .date
                if logical == .date && type != .int32 { throw problem("a Date is Int32") }
            case "Timestamp":
                guard type == .int64, let unit = TimeUnit.allCases.first(where: { $0.description == entry.timeUnit })
                else {
                    throw problem("a Timestamp is Int64 with a time unit s, ms, us or ns")
                }
                if let zone = entry.timeZone, !(1...FormatLimits.maxTimeZoneLength).contains(zone.utf8.count) {
                    throw problem("a time zone is 1 to 64 bytes")
                }
                logical = .timestamp(unit: unit, timeZone: entry.timeZone)
            default:
                throw problem("unknown logical type '\(entry.logicalType)'")
            }
            if !entry.shape.isEmpty {
                guard type.elementSize != nil, logical == .none, entry.shape.count <= FormatLimits.maxRank,
                      entry.shape.allSatisfy({ (1...FormatLimits.maxTensorRowBytes).contains($0) }) else {
                    throw problem("a shape has 1 to 8 dimensions of 1 to 2^31 - 1, for a fixed-width column without a logical type")
                }
            }
            return DatasetColumn(name: entry.name, physicalType: type, logicalType: logical, shape: entry.shape,
                                 isNullable: entry.nullable)
        }
    }
}
