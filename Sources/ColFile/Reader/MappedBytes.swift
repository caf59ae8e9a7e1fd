/// A zero-copy, read-only run of bytes inside an open file: one value of a binary or string column.
@safe
public struct MappedBytes: RandomAccessCollection, @unchecked Sendable {
    private let owner: MappedRegion
    private let bytes: UnsafeRawBufferPointer

    /// Wraps `bytes`, which lie inside `owner`.
    init(owner: MappedRegion, bytes: UnsafeRawBufferPointer) {
        self.owner = owner
        unsafe self.bytes = bytes
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of bytes.
    public var endIndex: Int { unsafe bytes.count }

    /// The byte at `position`.
    ///
    /// - Precondition: `position` is in `0 ..< count`.
    public subscript(position: Int) -> UInt8 {
        precondition(UInt(bitPattern: position) < UInt(endIndex), "MappedBytes index out of range")
        return unsafe bytes[position]
    }

    /// Calls `body` with a pointer to the bytes, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try unsafe body(bytes) }
    }

    /// The bytes decoded as UTF-8; invalid sequences become U+FFFD (verification reports them).
    public var string: String {
        unsafe withUnsafeBytes { unsafe String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes copied into an array.
    public var array: [UInt8] {
        unsafe withUnsafeBytes { unsafe Array($0) }
    }
}
