/// The header page of a decoded-column cache entry (Specification.md §13.4): which file and
/// column the entry decodes, and where its buffers are.
struct CacheEntryHeader: Equatable {
    /// §13.4: the 8 bytes every cache entry starts with, `COLFDCOL`.
    static let magic: [UInt8] = Array("COLFDCOL".utf8)
    /// §13.4: the entry layout version of columns of up to three buffers.
    static let version: UInt32 = 1
    /// §13.4: the entry layout version of dictionary-encoded columns (five buffer slots).
    static let dictionaryVersion: UInt32 = 2

    /// The source file's identity.
    var identity: FileIdentity
    /// The column's index in the source file.
    var columnIndex: UInt32
    /// Offset and length of each buffer slot (0, 0 when absent): validity, offsets and values, and
    /// for a dictionary-encoded column dictionary offsets and dictionary values.
    var buffers: [(offset: UInt64, length: UInt64)]

    /// The entry layout version: 2 when the header has five buffer slots, else 1.
    var layoutVersion: UInt32 { buffers.count == 5 ? Self.dictionaryVersion : Self.version }

    static func == (lhs: CacheEntryHeader, rhs: CacheEntryHeader) -> Bool {
        lhs.identity == rhs.identity && lhs.columnIndex == rhs.columnIndex
            && lhs.buffers.elementsEqual(rhs.buffers) { $0.offset == $1.offset && $0.length == $1.length }
    }

    /// The header for `layout` of column `columnIndex` of the file `identity`.
    init(identity: FileIdentity, columnIndex: Int, layout: DecodedLayout) {
        self.identity = identity
        self.columnIndex = UInt32(columnIndex)
        let slots = CacheEntryLayout.slotCount(version: layout.isDictionaryEncoded ? Self.dictionaryVersion : Self.version)
        self.buffers = layout.locations.prefix(slots).map { ($0?.offset ?? 0, UInt64($0?.length ?? 0)) }
    }

    /// Parses a header (of either layout version) from the start of `view`; nil when it is not a
    /// well-formed entry header.
    init?(_ view: ByteView) {
        typealias Layout = CacheEntryLayout
        guard view.count >= Layout.length, view.matches(Self.magic, at: Layout.magic.offset) else { return nil }
        let version = view.load(Layout.version)
        guard version == Self.version || version == Self.dictionaryVersion else { return nil }
        let slots = Layout.slotCount(version: version)
        let checksum = Layout.checksum(slots: slots)
        guard view.count >= checksum.end,
              view.load(checksum) == view.slice(offset: 0, length: checksum.offset).crc32() else {
            return nil
        }
        identity = FileIdentity(fileID: view.slice(Layout.fileID).array(),
                                directoryChecksum: view.load(Layout.directoryChecksum))
        columnIndex = view.load(Layout.columnIndex)
        buffers = (0..<slots).map { (view.load(Layout.bufferOffset($0)), view.load(Layout.bufferLength($0))) }
    }

    /// The header's bytes.
    func encoded() -> [UInt8] {
        typealias Layout = CacheEntryLayout
        let checksum = Layout.checksum(slots: buffers.count)
        var writer = ByteWriter(zeros: checksum.end)
        writer.set(bytes: Self.magic, at: Layout.magic)
        writer.set(layoutVersion, at: Layout.version)
        writer.set(columnIndex, at: Layout.columnIndex)
        writer.set(bytes: identity.fileID, at: Layout.fileID)
        writer.set(identity.directoryChecksum, at: Layout.directoryChecksum)
        for (slot, buffer) in buffers.enumerated() {
            writer.set(buffer.offset, at: Layout.bufferOffset(slot))
            writer.set(buffer.length, at: Layout.bufferLength(slot))
        }
        writer.set(CRC32.checksum(Array(writer.bytes[..<checksum.offset])), at: checksum)
        return writer.bytes
    }
}
