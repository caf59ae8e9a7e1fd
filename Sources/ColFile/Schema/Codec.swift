/// How a column's buffers are stored (Specification.md §5.2, byte 12; §13): plain, or compressed in
/// independently decodable chunks (a *cold* column).
public enum Codec: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Plain buffers, read in place.
    case none = 0
    /// zlib streams (RFC 1950), format 1.1.
    case zlib = 1
    /// zstd frames (RFC 8878), format 1.2; decoded with the system's `libzstd.so.1`, loaded at run time.
    case zstd = 2

    /// The codec's name: `none`, `zlib` or `zstd`.
    public var description: String {
        switch self {
        case .none: "none"
        case .zlib: "zlib"
        case .zstd: "zstd"
        }
    }

    /// The first format minor version that has this codec (§3).
    var minorVersion: UInt16 {
        switch self {
        case .none: 0
        case .zlib: 1
        case .zstd: 2
        }
    }
}
