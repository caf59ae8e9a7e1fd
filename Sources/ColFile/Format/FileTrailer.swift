/// The 32-byte trailer at the end of the file (Specification.md §4).
enum FileTrailer {
    /// Checks the trailer against the header's directory location: spec §9 step 10.
    static func check(_ trailer: ByteView, matches location: DirectoryLocation, at fileOffset: UInt64,
                      context: ErrorContext) throws {
        typealias Layout = TrailerLayout
        guard trailer.matches(word: FormatConstants.endMagicWord, at: Layout.endMagic.offset) else {
            throw context.error(.badTrailer, "the trailer's end magic is missing",
                                offset: fileOffset + UInt64(Layout.endMagic.offset))
        }
        let stored = DirectoryLocation(
            offset: trailer.load(Layout.directoryOffset),
            length: trailer.load(Layout.directoryLength),
            checksum: trailer.load(Layout.directoryChecksum))
        guard stored == location else {
            throw context.error(
                .badTrailer, "the trailer disagrees with the header about the directory", offset: fileOffset,
                expected: "offset \(location.offset) length \(location.length) crc \(hex(location.checksum))",
                found: "offset \(stored.offset) length \(stored.length) crc \(hex(stored.checksum))")
        }
    }

    /// The 32 bytes of the trailer for `location`.
    static func encoded(_ location: DirectoryLocation) -> [UInt8] {
        typealias Layout = TrailerLayout
        var writer = ByteWriter(zeros: Layout.length)
        writer.set(location.offset, at: Layout.directoryOffset)
        writer.set(location.length, at: Layout.directoryLength)
        writer.set(location.checksum, at: Layout.directoryChecksum)
        writer.set(bytes: FormatConstants.endMagic, at: Layout.endMagic)
        return writer.bytes
    }
}
