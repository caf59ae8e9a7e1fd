/// The 64-byte header at offset 0 of a draft (Specification.md §15.2).
struct DraftHeader: Sendable, Equatable {
    /// Whether the draft is open or a seal began (``DraftState``).
    var state: DraftState
    /// The 16 random bytes that will name the sealed file.
    var fileID: [UInt8]
    /// Where the description starts, and its length and CRC-32.
    var description: DirectoryLocation
    /// Rows in each claimable range, S.
    var rowsPerRange: UInt64

    /// Parses and checks the header: Specification.md §15.6 steps 2 to 7.
    static func parse(_ view: ByteView, context: ErrorContext) throws -> DraftHeader {
        typealias Layout = DraftHeaderLayout
        guard view.count >= Layout.length else {
            throw context.error(.truncated, "file is too short to be a colfile draft",
                                expected: "at least \(Layout.length) bytes", found: "\(view.count) bytes")
        }
        guard view.matches(DraftConstants.magic, at: Layout.magic.offset) else {
            if view.matches(FormatConstants.magic, at: Layout.magic.offset) {
                throw context.error(.sealedDraft,
                                    "the draft was sealed into a colfile file but not published: seal it again to publish it",
                                    offset: 0)
            }
            throw context.error(.badMagic, "not a colfile draft: the first 8 bytes are not the draft magic", offset: 0)
        }
        let major = view.load(Layout.majorVersion)
        guard major == DraftConstants.majorVersion else {
            throw context.error(
                .unsupportedMajorVersion, "draft layout major version \(major) is not supported by this library",
                offset: Layout.majorVersion.at(0), expected: DraftConstants.majorVersion, found: major)
        }
        try FileHeader.checkLengthAndChecksum(view, context: context, headerLength: Layout.headerLength,
                                              checksum: Layout.checksum, length: Layout.length)
        let stateCode = view.load(Layout.state)
        guard let state = DraftState(rawValue: stateCode) else {
            throw context.error(.badDraftHeader, "unknown draft state", offset: Layout.state.at(0),
                                expected: "1 (open) or 2 (sealing)", found: stateCode)
        }
        let rowsPerRange = view.load(Layout.rowsPerRange)
        let multiple = UInt64(DraftConstants.rowsPerRangeMultiple)
        guard rowsPerRange >= multiple, rowsPerRange % multiple == 0 else {
            throw context.error(.badDraftHeader, "rows per range must be a positive multiple of \(multiple)",
                                offset: Layout.rowsPerRange.at(0), found: rowsPerRange)
        }
        let location = DirectoryLocation(offset: view.load(Layout.descriptionOffset),
                                         length: UInt64(view.load(Layout.descriptionLength)),
                                         checksum: view.load(Layout.descriptionChecksum))
        let firstPossible = UInt64(ClaimTableLayout.end(rangeCount: 0))
        guard location.offset >= firstPossible, location.offset % UInt64(FormatConstants.bufferAlignment) == 0,
              location.length >= UInt64(DirectoryHeaderLayout.length),
              location.length <= FormatLimits.maxDirectoryLength else {
            throw context.error(.badDirectoryLocation, "the header gives an impossible description location",
                                offset: Layout.descriptionOffset.at(0),
                                expected: "offset a multiple of 64 from \(firstPossible) and length 64 to \(FormatLimits.maxDirectoryLength)",
                                found: "offset \(location.offset) length \(location.length)")
        }
        return DraftHeader(state: state, fileID: view.slice(Layout.fileID).array(), description: location,
                           rowsPerRange: rowsPerRange)
    }

    /// The 64 bytes of this header, its CRC-32 included.
    func encoded() -> [UInt8] {
        typealias Layout = DraftHeaderLayout
        var writer = ByteWriter(zeros: Layout.length)
        writer.set(bytes: DraftConstants.magic, at: Layout.magic)
        writer.set(DraftConstants.majorVersion, at: Layout.majorVersion)
        writer.set(DraftConstants.minorVersion, at: Layout.minorVersion)
        writer.set(UInt32(Layout.length), at: Layout.headerLength)
        writer.set(state.rawValue, at: Layout.state)
        writer.set(UInt32(description.length), at: Layout.descriptionLength)
        writer.set(bytes: fileID, at: Layout.fileID)
        writer.set(description.offset, at: Layout.descriptionOffset)
        writer.set(rowsPerRange, at: Layout.rowsPerRange)
        writer.set(description.checksum, at: Layout.descriptionChecksum)
        writer.set(CRC32.checksum(Array(writer.bytes[..<Layout.checksum.offset])), at: Layout.checksum)
        return writer.bytes
    }
}
