/// A read-only window on bytes (a mapped file, or a buffer in memory) with checked,
/// little-endian loads.
///
/// This and `MappedRegion` are the only places that hold raw pointers into file bytes. Every
/// public-facing check on file contents is made by the parsers *before* they load; the
/// preconditions here guard against bugs in those parsers, not against bad files.
@safe
struct ByteView: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer

    /// Wraps `bytes`; the caller keeps them alive and unchanged for the life of the view.
    @unsafe init(_ bytes: UnsafeRawBufferPointer) {
        unsafe self.bytes = bytes
    }

    /// The number of bytes in view.
    var count: Int { unsafe bytes.count }

    /// Whether `[offset, offset + length)` lies inside the view; overflow-safe for file values.
    func contains(offset: UInt64, length: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(length)
        return !overflow && end <= UInt64(count)
    }

    /// Loads a little-endian integer at `offset`, which the caller has checked.
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        precondition(offset >= 0 && offset <= count - MemoryLayout<T>.size, "ByteView load out of range")
        return T(littleEndian: unsafe bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Loads `field` of the structure that starts at `base`, which the caller has checked.
    func load<T>(_ field: Field<T>, at base: Int = 0) -> T {
        load(T.self, at: field.at(base))
    }

    /// The bytes of `field` of the structure that starts at `base`, which the caller has checked.
    func slice(_ field: ByteField, at base: Int = 0) -> ByteView {
        slice(offset: base + field.offset, length: field.count)
    }

    /// The sub-view `[offset, offset + length)`, which the caller has checked.
    func slice(offset: Int, length: Int) -> ByteView {
        precondition(offset >= 0 && length >= 0 && offset <= count - length, "ByteView slice out of range")
        return unsafe ByteView(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
    }

    /// Whether the bytes at `offset` equal `expected` (false when they run past the end).
    func matches(_ expected: [UInt8], at offset: Int) -> Bool {
        guard contains(offset: UInt64(offset), length: UInt64(expected.count)) else { return false }
        return expected.indices.allSatisfy { load(UInt8.self, at: offset + $0) == expected[$0] }
    }

    /// The bytes decoded as UTF-8, or nil when they are not valid UTF-8.
    func utf8String() -> String? {
        unsafe String(validating: bytes, as: UTF8.self)
    }

    /// The bytes copied into an array.
    func array() -> [UInt8] {
        unsafe Array(bytes)
    }

    /// The bytes compared with another view's, as byte strings (shorter first on a common prefix).
    func lexicographicallyPrecedes(_ other: ByteView) -> Bool {
        unsafe bytes.lexicographicallyPrecedes(other.bytes)
    }

    /// The CRC-32 (Specification.md §2) of all bytes in view.
    func crc32() -> UInt32 {
        unsafe CRC32.checksum(bytes)
    }

    /// Calls `body` with the raw bytes; the pointer must not escape `body`.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try unsafe body(bytes)
    }
}
