import FoundationEssentials
import ColFile

/// A Binary column whose fields are base64 (RFC 4648, padded), as `colfile export` prints them.
final class BinaryFieldSink: SchemaFieldSink {
    private let stream: VariableLengthColumnStream

    init(_ stream: VariableLengthColumnStream) {
        self.stream = stream
    }

    func append(field: Span<UInt8>) throws -> Bool {
        guard let data = Data(base64Encoded: CSVValueParser.text(field)) else { return false }
        try stream.append(bytes: [UInt8](data))
        return true
    }

    func appendNull() throws { try stream.append(bytes: nil) }

    /// Appends an empty byte string.
    func appendEmpty() throws { try stream.append(bytes: []) }
}
