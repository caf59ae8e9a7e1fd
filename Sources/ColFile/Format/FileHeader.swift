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
    /// The 16 random bytes that name this file.
    var fileID: [UInt8]
    /// Where the directory starts, and its length and CRC-32.
    var directory: DirectoryLocation

    /// Parses and checks the header: spec §9 steps 3 to 7.
    static func parse(_ view: ByteView, context: ErrorContext) throws -> FileHeader {
        guard view.matches(FormatConstants.magic, at: 0) else {
            throw context.error(.badMagic, "not a colfile file: the first 8 bytes are not the colfile magic", offset: 0)
        }
        let major = view.load(UInt16.self, at: 8)
        guard major == FormatConstants.majorVersion else {
            throw context.error(
                .unsupportedMajorVersion, "format major version \(major) is not supported by this reader",
                offset: 8, expected: FormatConstants.majorVersion, found: major)
        }
        let headerLength = view.load(UInt32.self, at: 12)
        guard headerLength == FormatConstants.headerLength else {
            throw context.error(.badHeader, "invalid header length", offset: 12,
                                expected: FormatConstants.headerLength, found: headerLength)
        }
        let storedCRC = view.load(UInt32.self, at: 60)
        let actualCRC = view.slice(offset: 0, length: 60).crc32()
        guard storedCRC == actualCRC else {
            throw context.error(.headerChecksumMismatch, "header checksum mismatch", offset: 60,
                                expected: hex(storedCRC), found: hex(actualCRC))
        }
        let required = view.load(UInt32.self, at: 16)
        guard required & ~FormatConstants.knownRequiredFlags == 0 else {
            throw context.error(.unsupportedFeatures, "the file needs features this reader does not have",
                                offset: 16, expected: hex(FormatConstants.knownRequiredFlags), found: hex(required))
        }
        return FileHeader(
            majorVersion: major,
            minorVersion: view.load(UInt16.self, at: 10),
            requiredFlags: required,
            optionalFlags: view.load(UInt32.self, at: 20),
            fileID: view.slice(offset: 24, length: 16).array(),
            directory: DirectoryLocation(
                offset: view.load(UInt64.self, at: 40),
                length: view.load(UInt64.self, at: 48),
                checksum: view.load(UInt32.self, at: 56)))
    }

    /// The 64 bytes of this header, its CRC-32 included.
    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.append(bytes: FormatConstants.magic)
        writer.append(majorVersion)
        writer.append(minorVersion)
        writer.append(UInt32(FormatConstants.headerLength))
        writer.append(requiredFlags)
        writer.append(optionalFlags)
        writer.append(bytes: fileID)
        writer.append(directory.offset)
        writer.append(directory.length)
        writer.append(directory.checksum)
        writer.append(CRC32.checksum(writer.bytes))
        assert(writer.bytes.count == FormatConstants.headerLength)
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
