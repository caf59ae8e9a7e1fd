import Atomics

/// A writable window on a draft's mapping (``DraftMapping``) with checked element access and
/// atomic operations on naturally aligned words and bitmap bytes.
///
/// With ``ByteView`` and the two mapping owners, the only type that holds raw pointers to file
/// bytes. It owns nothing: every view that holds one also holds its ``DraftMapping``. Other
/// processes write the same bytes at the same time, so every operation that may race with
/// another writer of the same byte (bitmap bits, the claim table, atomic columns) is atomic;
/// plain element stores are for rows a caller writes alone (Specification.md §15.4).
@safe @usableFromInline
struct MutableByteView: @unchecked Sendable {
    @usableFromInline let bytes: UnsafeMutableRawBufferPointer

    /// Wraps `bytes`, which the caller keeps mapped for the life of the view.
    @unsafe init(_ bytes: UnsafeMutableRawBufferPointer) {
        unsafe self.bytes = bytes
    }

    /// The number of bytes in view.
    @inlinable var count: Int { unsafe bytes.count }

    /// The same bytes, read-only.
    var readOnly: ByteView { unsafe ByteView(UnsafeRawBufferPointer(bytes)) }

    /// The sub-view `[offset, offset + length)`, which the caller has checked.
    func slice(offset: Int, length: Int) -> MutableByteView {
        precondition(offset >= 0 && length >= 0 && offset <= count - length, "MutableByteView slice out of range")
        return unsafe MutableByteView(UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
    }

    /// The address of element `index` of type `T`, checked against the view and `T`'s alignment.
    @inlinable func address<T>(of type: T.Type, element index: Int) -> UnsafeMutableRawPointer {
        let stride = MemoryLayout<T>.stride
        precondition(index >= 0 && index < count / stride, "element index out of range")
        let pointer = unsafe bytes.baseAddress! + index * stride
        precondition(Int(bitPattern: pointer) % MemoryLayout<T>.alignment == 0, "misaligned element")
        return unsafe pointer
    }

    // MARK: - Elements a caller writes alone

    /// Element `index` read as a `T`.
    @inlinable func load<T: BitwiseCopyable>(_ type: T.Type, element index: Int) -> T {
        unsafe address(of: T.self, element: index).load(as: T.self)
    }

    /// Stores `value` as element `index`.
    @inlinable func store<T: BitwiseCopyable>(_ value: T, element index: Int) {
        unsafe address(of: T.self, element: index).storeBytes(of: value, as: T.self)
    }

    /// Copies `values` into elements `index ..< index + values.count`.
    @inlinable func copy<T: BitwiseCopyable>(_ values: Span<T>, toElement index: Int) {
        guard !values.isEmpty else { return }
        precondition(index >= 0 && index <= count / MemoryLayout<T>.stride - values.count, "elements out of range")
        let destination = unsafe address(of: T.self, element: index)
        unsafe values.withUnsafeBytes { source in
            unsafe destination.copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
    }

    /// Calls `body` with elements `range` as a mutable span, valid only inside `body`.
    @inlinable func withMutableSpan<T: BitwiseCopyable, R, E: Error>(
        of type: T.Type, elements range: Range<Int>, _ body: (inout MutableSpan<T>) throws(E) -> R
    ) throws(E) -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= count / MemoryLayout<T>.stride,
                     "elements out of range")
        let start = range.isEmpty ? nil : unsafe address(of: T.self, element: range.lowerBound).assumingMemoryBound(to: T.self)
        var span = unsafe MutableSpan(_unsafeElements: UnsafeMutableBufferPointer(start: start, count: range.count))
        return try body(&span)
    }

    /// Sets bytes `range` to zero.
    func zero(bytes range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "bytes out of range")
        guard !range.isEmpty else { return }
        unsafe (bytes.baseAddress! + range.lowerBound).initializeMemory(as: UInt8.self, repeating: 0, count: range.count)
    }

    // MARK: - Atomic words

    /// Calls `body` with word `index` of type `W` as an atomic; the pointer must not escape.
    @inlinable
    func withAtomic<W: AtomicInteger, R>(_ type: W.Type, element index: Int, _ body: (UnsafeAtomic<W>) -> R) -> R
        where W.AtomicRepresentation.Value == W {
        let pointer = unsafe address(of: W.self, element: index).assumingMemoryBound(to: W.AtomicRepresentation.self)
        return unsafe body(UnsafeAtomic(at: pointer))
    }

    // MARK: - Bitmaps (least-significant bit first, Specification.md §6.1)

    /// Bit `row` of the bitmap that fills the view, loaded atomically.
    @inlinable func bit(_ row: Int) -> Bool {
        withAtomic(UInt8.self, element: row >> 3) { $0.load(ordering: .relaxed) } & (1 << UInt8(row & 7)) != 0
    }

    /// Sets bit `row` to `value` atomically: writers of the other bits of its byte are not disturbed.
    @inlinable func setBit(_ row: Int, to value: Bool) {
        let mask: UInt8 = 1 << UInt8(row & 7)
        withAtomic(UInt8.self, element: row >> 3) { byte in
            if value {
                _ = byte.loadThenBitwiseOr(with: mask, ordering: .releasing)
            } else {
                _ = byte.loadThenBitwiseAnd(with: ~mask, ordering: .releasing)
            }
        }
    }

    /// Sets bits `rows` to `value`: the bytes they fill whole are stored, the bytes they share
    /// with other rows are changed bit by bit, atomically.
    @usableFromInline func setBits(_ rows: Range<Int>, to value: Bool) {
        guard !rows.isEmpty else { return }
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count * 8, "bits out of range")
        var row = rows.lowerBound
        while row < rows.upperBound && row & 7 != 0 {
            setBit(row, to: value)
            row += 1
        }
        let fill: UInt8 = value ? 0xFF : 0
        while row + 8 <= rows.upperBound {
            withAtomic(UInt8.self, element: row >> 3) { $0.store(fill, ordering: .releasing) }
            row += 8
        }
        while row < rows.upperBound {
            setBit(row, to: value)
            row += 1
        }
    }
}
