import FoundationEssentials

/// JSON text as the tool prints it: keys sorted (stable output), slashes unescaped; pretty unless
/// asked for one line.
enum JSONText {
    /// `value` as JSON text, indented over several lines (`pretty`) or on one line.
    static func sorted(_ value: JSONValue, pretty: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The JSON value `text` holds.
    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}
