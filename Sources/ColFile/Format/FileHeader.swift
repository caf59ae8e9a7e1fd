/// The 64-byte header at offset 0 (Specification.md §3).
struct FileHeader: Sendable, Equatable {
    /// Major format version.
    var majorVersion: UInt16
    /// Minor format version.
    var minorVersion: UInt16
    /// Feature flags a reader must know.
    var requiredFlags: UInt32
    /// Feature flags a reader may ignore.
    var optionalFlags: UInt32
    /// The first 8 of the 16 random bytes that name this file, as a little-endian integer (held as
    /// integers, not an array, so that open allocates nothing for them).
    private var fileIDLow: UInt64
    /// The last 8 of them.
    private var fileIDHigh: UInt64
    /// Where the directory starts, and its length and CRC-32.
    var directory: DirectoryLocation

    /// A header with these fields; `fileID` must be 16 bytes.
    init(majorVersion: UInt16, minorVersion: UInt16, requiredFlags: UInt32, optionalFlags: UInt32, fileID: [UInt8],
         directory: DirectoryLocation) {
        precondition(fileID.count == 16, "a file id is 16 bytes")
        let words = unsafe fileID.withUnsafeBytes { bytes in
            let view = unsafe ByteView(bytes)
            return (view.load(UInt64.self, at: 0), view.load(UInt64.self, at: 8))
        }
        self.init(majorVersion: majorVersion, minorVersion: minorVersion, requiredFlags: requiredFlags,
                  optionalFlags: optionalFlags, fileIDLow: words.0, fileIDHigh: words.1, directory: directory)
    }

    /// A header with these fields, the file id given as its two little-endian halves.
    private init(majorVersion: UInt16, minorVersion: UInt16, requiredFlags: UInt32, optionalFlags: UInt32,
                 fileIDLow: UInt64, fileIDHigh: UInt64, directory: DirectoryLocation) {
        self.majorVersion = majorVersion
        self.minorVersion = minorVersion
        self.requiredFlags = requiredFlags
        self.optionalFlags = optionalFlags
        self.fileIDLow = fileIDLow
        self.fileIDHigh = fileIDHigh
        self.directory = directory
    }

    /// The 16 random bytes that name this file.
    var fileID: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: fileIDLow >> (8 * UInt64(index)))
            bytes[8 + index] = UInt8(truncatingIfNeeded: fileIDHigh >> (8 * UInt64(index)))
        }
        return bytes
    }

    /// Parses and checks the header: spec §9 steps 3 to 7.
    static func parse(_ view: ByteView, context: ErrorContext) throws -> FileHeader {
        typealias Layout = HeaderLayout
        // The caller passes the header's bytes. Known from here to the compiler, which then drops
        // the range check of each load below (at constant offsets inside it), as a column record's
        // parse does (BENCHMARKS.md, "Attach: the user-space work at open").
        precondition(view.count == Layout.length, "a file header is \(Layout.length) bytes")
        guard view.matches(word: FormatConstants.magicWord, at: Layout.magic.offset) else {
            if view.matches(DraftConstants.magic, at: Layout.magic.offset) {
                throw context.error(.unsealedDraft,
                                    "an unsealed colfile draft, not a published file: seal it first (colfile draft seal)",
                                    offset: 0)
            }
            throw context.error(.badMagic, "not a colfile file: the first 8 bytes are not the colfile magic",
                                offset: 0)
        }
        let major = view.load(Layout.majorVersion)
        guard major == FormatConstants.majorVersion else {
            throw context.error(
                .unsupportedMajorVersion, "format major version \(major) is not supported by this reader",
                offset: Layout.majorVersion.at(0), expected: FormatConstants.majorVersion, found: major)
        }
        try checkLengthAndChecksum(view, context: context, headerLength: Layout.headerLength,
                                   checksum: Layout.checksum, length: Layout.length)
        let required = view.load(Layout.requiredFlags)
        guard required & ~FormatConstants.knownRequiredFlags == 0 else {
            throw context.error(.unsupportedFeatures, "the file needs features this reader does not have",
                                offset: Layout.requiredFlags.at(0), expected: hex(FormatConstants.knownRequiredFlags),
                                found: hex(required))
        }
        return FileHeader(
            majorVersion: major,
            minorVersion: view.load(Layout.minorVersion),
            requiredFlags: required,
            optionalFlags: view.load(Layout.optionalFlags),
            fileIDLow: view.load(UInt64.self, at: Layout.fileID.offset),
            fileIDHigh: view.load(UInt64.self, at: Layout.fileID.offset + 8),
            directory: DirectoryLocation(
                offset: view.load(Layout.directoryOffset),
                length: view.load(Layout.directoryLength),
                checksum: view.load(Layout.directoryChecksum)))
    }

    /// Specification.md §9 steps 5 and 6: the header's length field holds `length`, and the
    /// CRC-32 of the bytes before the checksum field is the one stored there. A draft's header
    /// (§15.2) keeps both fields where this header does, so its parser shares this check.
    static func checkLengthAndChecksum(_ view: ByteView, context: ErrorContext, headerLength: Field<UInt32>,
                                       checksum: Field<UInt32>, length: Int) throws {
        let stored = view.load(headerLength)
        guard stored == length else {
            throw context.error(.badHeader, "invalid header length", offset: headerLength.at(0),
                                expected: length, found: stored)
        }
        let storedCRC = view.load(checksum)
        let actualCRC = view.slice(offset: 0, length: checksum.offset).crc32()
        guard storedCRC == actualCRC else {
            throw context.error(.headerChecksumMismatch, "header checksum mismatch", offset: checksum.at(0),
                                expected: hex(storedCRC), found: hex(actualCRC))
        }
    }

    /// The 64 bytes of this header, its CRC-32 included.
    func encoded() -> [UInt8] {
        typealias Layout = HeaderLayout
        var writer = ByteWriter(zeros: Layout.length)
        writer.set(bytes: FormatConstants.magic, at: Layout.magic)
        writer.set(majorVersion, at: Layout.majorVersion)
        writer.set(minorVersion, at: Layout.minorVersion)
        writer.set(UInt32(Layout.length), at: Layout.headerLength)
        writer.set(requiredFlags, at: Layout.requiredFlags)
        writer.set(optionalFlags, at: Layout.optionalFlags)
        writer.set(bytes: fileID, at: Layout.fileID)
        writer.set(directory.offset, at: Layout.directoryOffset)
        writer.set(directory.length, at: Layout.directoryLength)
        writer.set(directory.checksum, at: Layout.directoryChecksum)
        writer.set(CRC32.checksum(Array(writer.bytes[..<Layout.checksum.offset])), at: Layout.checksum)
        return writer.bytes
    }
}

/// Where the directory is: the part of the header the trailer repeats (Specification.md §3, §4).
struct DirectoryLocation: Sendable, Equatable {
    /// Absolute offset of the directory.
    var offset: UInt64
    /// Length of the directory in bytes.
    var length: UInt64
    /// CRC-32 of the directory's bytes.
    var checksum: UInt32
}

/// `0x` and eight hex digits, the way checksums and flags appear in errors.
func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
