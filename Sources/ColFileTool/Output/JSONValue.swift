/// A JSON value the tool prints (`inspect --json`, `bench --json`, harness results), encoded and
/// decoded by FoundationEssentials' `JSONEncoder` / `JSONDecoder` (``JSONText``).
///
/// The tool builds its objects as `[String: any JSONRepresentable]` literals and turns them into
/// values with ``init(_:)``; the full Foundation (and its ICU data) is not loaded for JSON.
enum JSONValue: Codable, Equatable, Sendable, JSONRepresentable {
    /// An object; its keys are sorted when printed.
    case object([String: JSONValue])
    /// An array.
    case array([JSONValue])
    /// A string.
    case string(String)
    /// An integer that fits `Int`.
    case integer(Int)
    /// An integer above `Int.max`.
    case unsignedInteger(UInt64)
    /// A finite number.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// The object of `fields`, each field's value converted.
    init(_ fields: [String: any JSONRepresentable]) {
        self = .object(fields.mapValues(\.jsonValue))
    }

    /// The value itself.
    var jsonValue: JSONValue { self }

    /// Reads any JSON value: `null`, a boolean, an integer, a number, a string, an array or an object.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsignedInteger(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value as its JSON counterpart.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let fields): try container.encode(fields)
        case .array(let elements): try container.encode(elements)
        case .string(let text): try container.encode(text)
        case .integer(let value): try container.encode(value)
        case .unsignedInteger(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

/// A Swift value with a JSON counterpart (``JSONValue``).
protocol JSONRepresentable {
    /// The value as JSON.
    var jsonValue: JSONValue { get }
}

extension String: JSONRepresentable {
    /// A JSON string.
    var jsonValue: JSONValue { .string(self) }
}

extension Bool: JSONRepresentable {
    /// `true` or `false`.
    var jsonValue: JSONValue { .bool(self) }
}

extension Double: JSONRepresentable {
    /// A JSON number.
    var jsonValue: JSONValue { .number(self) }
}

extension Int: JSONRepresentable {
    /// A JSON integer.
    var jsonValue: JSONValue { .integer(self) }
}

extension Int32: JSONRepresentable {
    /// A JSON integer.
    var jsonValue: JSONValue { .integer(Int(self)) }
}

extension UInt64: JSONRepresentable {
    /// A JSON integer.
    var jsonValue: JSONValue { Int(exactly: self).map(JSONValue.integer) ?? .unsignedInteger(self) }
}

extension Optional: JSONRepresentable where Wrapped: JSONRepresentable {
    /// The wrapped value, or `null`.
    var jsonValue: JSONValue { self?.jsonValue ?? .null }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    /// A JSON array.
    var jsonValue: JSONValue { .array(map(\.jsonValue)) }
}

extension Dictionary: JSONRepresentable where Key == String, Value: JSONRepresentable {
    /// A JSON object.
    var jsonValue: JSONValue { .object(mapValues(\.jsonValue)) }
}
