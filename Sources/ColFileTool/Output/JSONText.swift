import Foundation

/// JSON text as the tool prints it: pretty, keys sorted (stable output), slashes unescaped.
enum JSONText {
    /// `object` (dictionaries, arrays, strings, numbers, booleans, `NSNull`) as JSON text.
    static func sorted(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object,
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
