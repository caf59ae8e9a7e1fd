/// Numbers fixed by the file format. Each cites the section of `Specification.md` it comes from;
/// where each field lies is in the layout tables of `Format/Layout/`.
enum FormatConstants {
    /// §3: the 8 bytes every colfile file starts with, `\x89COL\r\n\x1a\n`, read as one little-endian
    /// `UInt64`. The reader compares one load with this literal: a constant array would be
    /// initialized (`swift_initStaticObject`, its metadata on a page of its own) on every attach
    /// (BENCHMARKS.md, "Attach: the user-space work at open").
    static let magicWord: UInt64 = 0x0A1A_0A0D_4C4F_4389
    /// §4: the 8 bytes every colfile file ends with, `COLFEND\n`, read as one little-endian `UInt64`.
    static let endMagicWord: UInt64 = 0x0A44_4E45_464C_4F43
    /// §3: the bytes of ``magicWord``, for writers.
    static let magic: [UInt8] = unsafe withUnsafeBytes(of: magicWord.littleEndian) { unsafe Array($0) }
    /// §4: the bytes of ``endMagicWord``, for writers.
    static let endMagic: [UInt8] = unsafe withUnsafeBytes(of: endMagicWord.littleEndian) { unsafe Array($0) }
    /// §5.1: the 4 bytes the directory starts with, `CDIR`.
    static let directoryMagic: UInt32 = 0x5249_4443
    /// §3: the major version this library reads and writes.
    static let majorVersion: UInt16 = 1
    /// §3: the minor version this library writes for files without the features of later
    /// minor versions (codecs, §13; dictionary columns, §6.4).
    static let minorVersion: UInt16 = 0
    /// §3: required feature flags this reader knows (none in v1.0).
    static let knownRequiredFlags: UInt32 = 0
    /// §5.2: column flag bit 0, the column has a validity buffer.
    static let columnFlagHasValidity: UInt8 = 1
    /// §7: every buffer and the directory start at a multiple of this.
    static let bufferAlignment = 64
    /// §7: the writer aligns buffers at least `largeBufferThreshold` long to this.
    static let largeBufferAlignment = 4096
    /// §7: buffers this long or longer get `largeBufferAlignment`.
    static let largeBufferThreshold = 1 << 20
}

/// §8: limits every reader enforces, so no file can make it allocate or loop without bound.
enum FormatLimits {
    /// Most columns in one file.
    static let maxColumns = 1_000_000
    /// Most rows in one file: 2^53 − 1, exact in every language's numbers, doubles included.
    static let maxRows: UInt64 = (1 << 53) - 1
    /// Longest directory, in bytes.
    static let maxDirectoryLength: UInt64 = 1 << 30
    /// Longest column name, in bytes.
    static let maxNameLength = 1024
    /// Highest tensor rank.
    static let maxRank = 8
    /// Largest tensor dimension and largest tensor row, in bytes.
    static let maxTensorRowBytes = Int(Int32.max)
    /// Longest time zone name, in bytes.
    static let maxTimeZoneLength = 64
    /// Longest metadata key, in bytes.
    static let maxMetadataKeyLength = 1024
    /// Most entries in one metadata block.
    static let maxMetadataEntries = 65_536
    /// Largest column metadata block, in bytes.
    static let maxColumnMetadataLength = 1 << 20
    /// Largest file metadata block, in bytes.
    static let maxFileMetadataLength = 16 << 20
}
