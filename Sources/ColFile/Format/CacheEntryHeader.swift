/// The header page of a decoded-column cache entry (Specification.md §13.4): which file and
/// column the entry decodes, and where its buffers are.
struct CacheEntryHeader: Equatable {
    /// §13.4: the 8 bytes every cache entry starts with, `COLFDCOL`.
    static let magic: [UInt8] = Array("COLFDCOL".utf8)
    /// §13.4: the entry layout version.
    static let version: UInt32 = 1
    /// Bytes of the header that carry data (the rest of the 4096-byte page is zero).
    static let length = 92

    /// The source file's identity.
    var identity: FileIdentity
    /// The column's index in the source file.
    var columnIndex: UInt32
    /// Offset and length of the validity, offsets and values buffers (0, 0 when absent).
    var buffers: [(offset: UInt64, length: UInt64)]

    static func == (lhs: CacheEntryHeader, rhs: CacheEntryHeader) -> Bool {
        lhs.identity == rhs.identity && lhs.columnIndex == rhs.columnIndex
            && lhs.buffers.elementsEqual(rhs.buffers) { $0.offset == $1.offset && $0.length == $1.length }
    }

    /// The header for `layout` of column `columnIndex` of the file `identity`.
    init(identity: FileIdentity, columnIndex: Int, layout: DecodedLayout) {
        self.identity = identity
        self.columnIndex = UInt32(columnIndex)
        self.buffers = layout.locations.map { ($0?.offset ?? 0, UInt64($0?.length ?? 0)) }
    }

    /// Parses a header; nil when it is not a well-formed entry header.
    init?(_ view: ByteView) {
        guard view.count >= Self.length, view.matches(Self.magic, at: 0),
              view.load(UInt32.self, at: 8) == Self.version,
              view.load(UInt32.self, at: 88) == view.slice(offset: 0, length: 88).crc32() else { return nil }
        identity = FileIdentity(fileID: view.slice(offset: 16, length: 16).array(),
                                directoryChecksum: view.load(UInt32.self, at: 32))
        columnIndex = view.load(UInt32.self, at: 12)
        buffers = (0..<3).map { (view.load(UInt64.self, at: 40 + $0 * 16), view.load(UInt64.self, at: 48 + $0 * 16)) }
    }

    /// The header's bytes.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.append(bytes: Self.magic)
        writer.append(Self.version)
        writer.append(columnIndex)
        writer.append(bytes: identity.fileID)
        writer.append(identity.directoryChecksum)
        writer.append(UInt32(0))
        for buffer in buffers {
            writer.append(buffer.offset)
            writer.append(buffer.length)
        }
        writer.append(CRC32.checksum(writer.bytes))
        assert(writer.bytes.count == Self.length)
        return writer.bytes
    }
}
