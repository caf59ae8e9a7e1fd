/// A zero-copy, read-only array of fixed-width values inside an open file.
///
/// Values are read in place from the mapping; nothing is copied or parsed. The array keeps the
/// mapping alive, so it stays valid after the ``ColFileReader`` that made it is gone, and it can be
/// sent to and read from any thread.
public struct MappedArray<Element: FixedWidthElement>: RandomAccessCollection, Sendable, CustomStringConvertible {
    @usableFromInline let owner: MappedRegion
    @usableFromInline let bytes: ByteView
    /// The number of elements.
    public let endIndex: Int

    /// The `count` elements at the start of `bytes`, which lie inside `owner` at a multiple of the
    /// element's alignment (Specification.md §7 guarantees 64).
    init(owner: MappedRegion, bytes: ByteView, count: Int) {
        precondition(count >= 0 && count <= bytes.count / MemoryLayout<Element>.stride, "elements outside their bytes")
        precondition(bytes.isAligned(to: MemoryLayout<Element>.alignment), "misaligned elements")
        self.owner = owner
        self.bytes = bytes.slice(offset: 0, length: count * MemoryLayout<Element>.stride)
        self.endIndex = count
    }

    /// Always 0.
    @inlinable public var startIndex: Int { 0 }

    /// The element at `position`.
    ///
    /// - Precondition: `position` is in `0 ..< count`; anything else stops the program.
    @inlinable public subscript(position: Int) -> Element {
        precondition(UInt(bitPattern: position) < UInt(endIndex), "MappedArray index out of range")
        // In range: `init` checked that `endIndex` elements fit the bytes, aligned.
        return unsafe bytes.uncheckedElement(position, as: Element.self)
    }

    /// Calls `body` with the elements as a span, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withSpan<R>(_ body: (Span<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try bytes.withSpan(of: Element.self, body) }
    }

    /// The elements `[start, start + count)` as an array of their own (still zero-copy).
    func subarray(start: Int, count: Int) -> MappedArray<Element> {
        precondition(start >= 0 && count >= 0 && start <= endIndex - count, "subarray out of range")
        let stride = MemoryLayout<Element>.stride
        return MappedArray(owner: owner, bytes: bytes.slice(offset: start * stride, length: count * stride), count: count)
    }

    /// `MappedArray<Double>(count: 3)`, without the values.
    public var description: String { "\(Self.self)(count: \(count))" }

    /// Calls `body` with the bytes of the elements, which `owner` keeps alive meanwhile.
    func withBytes<R>(_ body: (ByteView) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(bytes) }
    }
}
