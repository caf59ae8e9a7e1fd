/// A zero-copy, read-only run of bytes inside an open file: one value of a binary or string column.
public struct MappedBytes: RandomAccessCollection, Sendable, CustomStringConvertible {
    @usableFromInline let owner: MappedRegion
    @usableFromInline let bytes: ByteView

    /// Wraps `bytes`, which lie inside `owner`.
    @usableFromInline init(owner: MappedRegion, bytes: ByteView) {
        self.owner = owner
        self.bytes = bytes
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }
    /// The number of bytes.
    @inlinable public var endIndex: Int { bytes.count }

    /// The byte at `position`.
    ///
    /// - Precondition: `position` is in `0 ..< count`.
    @inlinable public subscript(position: Int) -> UInt8 {
        precondition(UInt(bitPattern: position) < UInt(endIndex), "MappedBytes index out of range")
        return bytes.load(UInt8.self, at: position)
    }

    /// Calls `body` with the bytes as a span, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withSpan<R>(_ body: (Span<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try bytes.withSpan(of: UInt8.self, body) }
    }

    /// The bytes decoded as UTF-8; invalid sequences become U+FFFD (verification reports them).
    public var string: String {
        withExtendedLifetime(owner) { bytes.decodedString() }
    }

    /// `MappedBytes(count: 5)`, without the bytes.
    public var description: String { "MappedBytes(count: \(count))" }

    /// The bytes copied into an array.
    public var array: [UInt8] {
        withExtendedLifetime(owner) { bytes.array() }
    }
}
