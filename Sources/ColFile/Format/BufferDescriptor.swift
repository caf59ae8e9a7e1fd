/// The buffer slots of a column, in file order (Specification.md §5.2): three for every column,
/// and two more for a dictionary-encoded column (§6.4).
public enum BufferRole: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// The validity bitmap (1 = valid).
    case validity = 0
    /// The offsets of string and binary columns.
    case offsets = 1
    /// The values (for bool columns, a bitmap; for a dictionary-encoded column, the indices).
    case values = 2
    /// The offsets of a dictionary-encoded column's String or Binary dictionary.
    case dictionaryOffsets = 3
    /// The values of a dictionary-encoded column's dictionary.
    case dictionaryValues = 4

    /// `validity`, `offsets`, `values`, `dictionary offsets` or `dictionary values`.
    public var description: String {
        switch self {
        case .validity: "validity"
        case .offsets: "offsets"
        case .values: "values"
        case .dictionaryOffsets: "dictionary offsets"
        case .dictionaryValues: "dictionary values"
        }
    }
}

/// One 32-byte buffer descriptor of a column record (Specification.md §5.2).
struct BufferDescriptor: Sendable, Equatable {
    /// Absolute offset of the buffer's stored bytes.
    var offset: UInt64
    /// Bytes the buffer occupies in the file.
    var storedLength: UInt64
    /// Bytes of the buffer's content (equal to `storedLength` without a codec).
    var decodedLength: UInt64
    /// CRC-32 of the buffer's content.
    var checksum: UInt32
    /// The reserved word: written as 0, ignored when read (§2).
    var reserved: UInt32

    /// The descriptor of a buffer the column does not have.
    static let absent = BufferDescriptor(offset: 0, storedLength: 0, decodedLength: 0, checksum: 0, reserved: 0)

    /// Whether this is the descriptor of a buffer the column does not have: offset, lengths and
    /// CRC-32 all zero (§5.2; the reserved word is ignored, §2).
    var isAbsent: Bool { offset == 0 && storedLength == 0 && decodedLength == 0 && checksum == 0 }

    /// Reads the descriptor at the constant offset `position` of a column record's bytes
    /// (``ColumnRecord``), whose range the caller has checked: always inlined, so that the loads
    /// at offsets known when compiling need no range check of their own.
    @inline(__always)
    init(inRecord record: ByteView, at position: Int) {
        typealias Layout = BufferDescriptorLayout
        offset = record.load(Layout.offset, at: position)
        storedLength = record.load(Layout.storedLength, at: position)
        decodedLength = record.load(Layout.decodedLength, at: position)
        checksum = record.load(Layout.checksum, at: position)
        reserved = record.load(Layout.reserved, at: position)
    }

    /// A descriptor from its fields.
    init(offset: UInt64, storedLength: UInt64, decodedLength: UInt64, checksum: UInt32, reserved: UInt32 = 0) {
        self.offset = offset
        self.storedLength = storedLength
        self.decodedLength = decodedLength
        self.checksum = checksum
        self.reserved = reserved
    }

    /// Sets the 32 bytes of this descriptor at `position` of a zeroed column record, without a
    /// range check of its own: ``ColumnRecord/encode(into:at:recordLength:)`` checks the whole
    /// record's range once.
    ///
    /// - Precondition (unchecked): the 32 bytes from `position` lie inside `writer`.
    @unsafe @inline(__always)
    func encodeUnchecked(into writer: inout MutableRawSpan, at position: Int) {
        typealias Layout = BufferDescriptorLayout
        unsafe writer.setUnchecked(offset, at: Layout.offset, base: position)
        unsafe writer.setUnchecked(storedLength, at: Layout.storedLength, base: position)
        unsafe writer.setUnchecked(decodedLength, at: Layout.decodedLength, base: position)
        unsafe writer.setUnchecked(checksum, at: Layout.checksum, base: position)
        unsafe writer.setUnchecked(reserved, at: Layout.reserved, base: position)
    }
}
