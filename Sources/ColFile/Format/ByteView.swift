import Glibc

/// A read-only window on bytes (a mapped file, or a buffer in memory) with checked,
/// little-endian loads.
///
/// This and ``MappedRegion`` (which owns the bytes) are the only types that hold raw pointers
/// to file bytes: the parsers and every column view (``MappedArray``, ``MappedBytes``,
/// ``ValidityBitmap``, the offsets of string columns) read through a `ByteView`. A view does not
/// keep its bytes alive; the column views hold the region beside it. Every public-facing check on
/// file contents is made by the parsers *before* they load; the preconditions here guard against
/// bugs in those parsers, not against bad files.
///
/// The loads the column views make per element are `@inlinable` (with the views' subscripts): a
/// for-in loop over a view from another module is then as fast as one over an array, which
/// cross-module optimisation alone did not give through this extra layer (BENCHMARKS.md).
@safe @usableFromInline
struct ByteView: @unchecked Sendable {
    @usableFromInline let bytes: UnsafeRawBufferPointer

    /// Wraps `bytes`; the caller keeps them alive and unchanged for the life of the view.
    @unsafe @usableFromInline init(_ bytes: UnsafeRawBufferPointer) {
        unsafe self.bytes = bytes
    }

    /// The number of bytes in view.
    @inlinable var count: Int { unsafe bytes.count }

    /// Whether `[offset, offset + length)` lies inside the view; overflow-safe for file values.
    func contains(offset: UInt64, length: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= UInt64(count)
    }

    /// Loads a little-endian integer at `offset`, which the caller has checked.
    ///
    /// `BitwiseCopyable` picks the standard library's one-instruction `loadUnaligned`; without it
    /// the general overload goes through a temporary allocation whose generic metadata an
    /// unoptimized build looks up on every call, a runtime lock that eight threads under
    /// ThreadSanitizer queued on for minutes.
    @inlinable func load<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, at offset: Int) -> T {
        precondition(offset >= 0 && offset <= count - MemoryLayout<T>.size, "ByteView load out of range")
        return T(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Loads `field` of the structure that starts at `base`, which the caller has checked.
    /// Always inlined: a record's parse makes two dozen of these loads.
    @inline(__always)
    func load<T: BitwiseCopyable>(_ field: Field<T>, at base: Int = 0) -> T {
        load(T.self, at: field.at(base))
    }

    /// The bytes of `field` of the structure that starts at `base`, which the caller has checked.
    func slice(_ field: ByteField, at base: Int = 0) -> ByteView {
        slice(offset: base + field.offset, length: field.count)
    }

    /// Element `index` of the bytes read as an array of `T` (at byte offset `index × stride`),
    /// which the caller has checked; the view must start at a multiple of `T`'s alignment.
    @inlinable func element<T: BitwiseCopyable>(_ index: Int, as type: T.Type) -> T {
        precondition(index >= 0 && index < count / MemoryLayout<T>.stride, "ByteView element out of range")
        return unsafe bytes.load(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
    }

    /// Element `index` of the bytes read as an array of `T`, without a range check: for the views'
    /// subscripts, which check the index against a count they checked against the view once.
    ///
    /// - Precondition (not checked): `index` is in `0 ..< count / stride`, and the view starts at a
    ///   multiple of `T`'s alignment.
    @inlinable @unsafe func uncheckedElement<T: BitwiseCopyable>(_ index: Int, as type: T.Type) -> T {
        assert(index >= 0 && index < count / MemoryLayout<T>.stride, "ByteView element out of range")
        return unsafe bytes.load(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
    }

    /// The `T` at `offset`, whatever its alignment, without a range check: for the inner loops of
    /// kernels that checked their whole range once.
    ///
    /// - Precondition (not checked): `offset ..< offset + MemoryLayout<T>.size` lies in the view.
    @unsafe func uncheckedLoad<T>(_ type: T.Type, at offset: Int) -> T {
        assert(offset >= 0 && offset <= count - MemoryLayout<T>.size, "ByteView load out of range")
        return unsafe bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    /// Whether the view starts at a multiple of `alignment` in memory.
    func isAligned(to alignment: Int) -> Bool {
        unsafe Int(bitPattern: bytes.baseAddress) % alignment == 0
    }

    /// The sub-view `[offset, offset + length)`, which the caller has checked. Always inlined: left
    /// to the optimizer it stayed a call of some 20 instructions, 15 of them an attach (about 270
    /// instructions; BENCHMARKS.md "Attach: the user-space work at open").
    @inlinable @inline(__always) func slice(offset: Int, length: Int) -> ByteView {
        precondition(offset >= 0 && length >= 0 && offset <= count - length, "ByteView slice out of range")
        // The range was checked just above: not again through a `Slice` and `rebasing:` (about 4
        // instructions a slice, some 15 slices an attach; BENCHMARKS.md "Attach: the user-space
        // work at open"). An empty view (no base address) has only the empty slice at 0.
        return unsafe ByteView(UnsafeRawBufferPointer(start: bytes.baseAddress.map { unsafe $0 + offset },
                                                      count: length))
    }

    /// Whether the bytes at `offset` equal `expected` (false when they run past the end).
    func matches(_ expected: [UInt8], at offset: Int) -> Bool {
        guard contains(offset: UInt64(offset), length: UInt64(expected.count)) else { return false }
        guard !expected.isEmpty else { return true }
        // One `memcmp`, not a loop of checked loads (a magic of 8 bytes: 15 instructions a byte,
        // BENCHMARKS.md "Attach: the user-space work at open"); the range was checked above.
        return unsafe expected.withUnsafeBytes { wanted in
            unsafe memcmp(bytes.baseAddress! + offset, wanted.baseAddress!, wanted.count) == 0
        }
    }

    /// Whether the 8 bytes at `offset` are the little-endian bytes of `expected` (false when they
    /// run past the end): one load, for the format's magics (``FormatConstants/magicWord``).
    func matches(word expected: UInt64, at offset: Int) -> Bool {
        contains(offset: UInt64(offset), length: 8) && load(UInt64.self, at: offset) == expected
    }

    /// The bytes decoded as UTF-8, or nil when they are not valid UTF-8.
    ///
    /// ASCII bytes (column names, mostly) take the cheaper decoding, which cannot fail on them
    /// (`String(validating:)` cost about 900 instructions a short name, BENCHMARKS.md "Attach").
    func utf8String() -> String? {
        isASCII() ? unsafe String(decoding: bytes, as: UTF8.self) : unsafe String(validating: bytes, as: UTF8.self)
    }

    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD.
    func decodedString() -> String {
        unsafe String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes copied into an array.
    func array() -> [UInt8] {
        unsafe Array(bytes)
    }

    /// The bytes compared with another view's, as byte strings (shorter first on a common prefix).
    ///
    /// One `memcmp` over the common prefix: the name index's check at open compares every pair of
    /// adjacent names, and the generic sequence comparison cost 7 ns a pair (BENCHMARKS.md, "Attach").
    func lexicographicallyPrecedes(_ other: ByteView) -> Bool {
        compare(other) < 0
    }

    /// Below 0 when these bytes come before `other`'s in lexicographic order, 0 when they are
    /// equal, above 0 when they come after: one `memcmp` where a binary search would make two
    /// ``lexicographicallyPrecedes(_:)`` calls.
    func compare(_ other: ByteView) -> Int {
        let common = min(count, other.count)
        // Both views hold at least `common` bytes; memcmp reads exactly that many from each.
        let order = common == 0 ? 0 : unsafe memcmp(bytes.baseAddress!, other.bytes.baseAddress!, common)
        return order != 0 ? Int(order) : count - other.count
    }

    /// Whether every byte is below 0x80 (ASCII, hence valid UTF-8): a quick test before a full
    /// UTF-8 check, for short byte strings such as column names.
    func isASCII() -> Bool {
        var bits: UInt8 = 0
        for unsafe byte in unsafe bytes { bits |= byte }
        return bits < 0x80
    }

    /// The CRC-32 (Specification.md §2) of all bytes in view.
    func crc32() -> UInt32 {
        unsafe CRC32.checksum(bytes)
    }

    /// Calls `body` with the bytes read as `count / stride` values of `T`; the view must start at a
    /// multiple of `T`'s alignment.
    func withSpan<T: BitwiseCopyable, R>(of type: T.Type, _ body: (Span<T>) throws -> R) rethrows -> R {
        precondition(isAligned(to: MemoryLayout<T>.alignment), "misaligned elements")
        let elements = unsafe UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: T.self),
                                                  count: count / MemoryLayout<T>.stride)
        return try body(unsafe Span(_unsafeElements: elements))
    }

    /// Calls `body` with the first `count` values of type `T` in the view, which must start at a
    /// multiple of `T`'s alignment; the pointer must not escape `body`.
    func withUnsafeElements<T, R>(_ type: T.Type, count: Int, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows
        -> R {
        precondition(count >= 0 && count <= self.count / MemoryLayout<T>.stride, "elements outside the view")
        precondition(isAligned(to: MemoryLayout<T>.alignment), "misaligned elements")
        return try unsafe body(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: T.self), count: count))
    }

    /// Calls `body` with the raw bytes; the pointer must not escape `body`.
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try unsafe body(bytes)
    }
}
