/// Where the decoded buffers of a cold column go in its decoded copy (a shared cache entry or
/// private memory): a 4096-byte header page, then each present buffer at a multiple of 4096
/// (Specification.md §13.4).
struct DecodedLayout: Sendable {
    /// Bytes before the first buffer: the cache entry's header page.
    static let headerLength = 4096
    /// Alignment of each decoded buffer.
    static let alignment = 4096

    /// Offset and decoded length of each present buffer, indexed by ``BufferRole`` (five slots).
    let locations: [(offset: UInt64, length: Int)?]
    /// Whether the column is dictionary-encoded: its cache entry has five buffer slots (layout
    /// version 2, Specification.md §13.4) instead of three.
    let isDictionaryEncoded: Bool
    /// The decoded copy's total length.
    let totalLength: Int

    /// The layout for `info`'s buffers.
    init(_ info: ColumnInfo) {
        var locations: [(offset: UInt64, length: Int)?] = Array(repeating: nil, count: BufferRole.allCases.count)
        var position = Self.headerLength
        for buffer in info.buffers {
            locations[buffer.role.rawValue] = (UInt64(position), Int(buffer.decodedLength))
            position += (Int(buffer.decodedLength) + Self.alignment - 1) / Self.alignment * Self.alignment
        }
        self.locations = locations
        self.totalLength = position
        self.isDictionaryEncoded = info.isDictionaryEncoded
    }
}
