/// The header page of a decoded-column cache entry (Specification.md §13.4): which file and
/// column the entry decodes, and where its buffers are.
struct CacheEntryHeader: Equatable {
    /// §13.4: the 8 bytes every cache entry starts with, `COLFDCOL`.
    static let magic: [UInt8] = Array("COLFDCOL".utf8)
    /// §13.4: the entry layout version.
    static let version: UInt32 = 1

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
        typealias Layout = CacheEntryLayout
        guard view.count >= Layout.length, view.matches(Self.magic, at: Layout.magic.offset),
              view.load(Layout.version) == Self.version,
              view.load(Layout.checksum) == view.slice(offset: 0, length: Layout.checksum.offset).crc32() else {
            return nil
        }
        identity = FileIdentity(fileID: view.slice(Layout.fileID).array(),
                                directoryChecksum: view.load(Layout.directoryChecksum))
        columnIndex = view.load(Layout.columnIndex)
        buffers = BufferRole.allCases.map {
            (view.load(Layout.bufferOffset($0.rawValue)), view.load(Layout.bufferLength($0.rawValue)))
        }
    }

    /// The header's bytes.
    func encoded() -> [UInt8] {
        typealias Layout = CacheEntryLayout
        var writer = ByteWriter(zeros: Layout.length)
        writer.set(bytes: Self.magic, at: Layout.magic)
        writer.set(Self.version, at: Layout.version)
        writer.set(columnIndex, at: Layout.columnIndex)
        writer.set(bytes: identity.fileID, at: Layout.fileID)
        writer.set(identity.directoryChecksum, at: Layout.directoryChecksum)
        for (slot, buffer) in buffers.enumerated() {
            writer.set(buffer.offset, at: Layout.bufferOffset(slot))
            writer.set(buffer.length, at: Layout.bufferLength(slot))
        }
        writer.set(CRC32.checksum(Array(writer.bytes[..<Layout.checksum.offset])), at: Layout.checksum)
        return writer.bytes
    }
}
