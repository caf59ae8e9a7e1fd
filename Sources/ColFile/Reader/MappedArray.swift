/// A zero-copy, read-only array of fixed-width values inside an open file.
///
/// Values are read in place from the mapping; nothing is copied or parsed. The array keeps the
/// mapping alive, so it stays valid after the ``ColFileReader`` that made it is gone, and it can be
/// sent to and read from any thread.
@safe
public struct MappedArray<Element: FixedWidthElement>: RandomAccessCollection, @unchecked Sendable {
    private let owner: MappedRegion
    private let elements: UnsafeBufferPointer<Element>

    /// Wraps `elements`, which lie inside `owner`.
    init(owner: MappedRegion, elements: UnsafeBufferPointer<Element>) {
        self.owner = owner
        unsafe self.elements = elements
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of elements.
    public var endIndex: Int { unsafe elements.count }

    /// The element at `position`.
    ///
    /// - Precondition: `position` is in `0 ..< count`; anything else stops the program.
    public subscript(position: Int) -> Element {
        precondition(UInt(bitPattern: position) < UInt(endIndex), "MappedArray index out of range")
        return unsafe elements[position]
    }

    /// Calls `body` with a pointer to the elements, valid only inside `body`.
    ///
    /// - Returns: What `body` returns.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try unsafe body(elements) }
    }

    /// The elements `[start, start + count)` as an array of their own (still zero-copy).
    func subarray(start: Int, count: Int) -> MappedArray<Element> {
        precondition(start >= 0 && count >= 0 && start <= endIndex - count, "subarray out of range")
        return unsafe MappedArray(owner: owner, elements: UnsafeBufferPointer(rebasing: elements[start..<(start + count)]))
    }
}
