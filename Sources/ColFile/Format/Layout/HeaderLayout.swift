/// The fields of the 64-byte file header at offset 0 (Specification.md §3).
package enum HeaderLayout {
    /// The header's length.
    package static let length = 64
    /// `\x89COL\r\n\x1a\n` (``FormatConstants/magic``).
    package static let magic = ByteField(0, count: 8)
    /// The major format version.
    package static let majorVersion = Field<UInt16>(8)
    /// The minor format version.
    package static let minorVersion = Field<UInt16>(10)
    /// The header's length, 64.
    package static let headerLength = Field<UInt32>(12)
    /// Feature flags a reader must know.
    package static let requiredFlags = Field<UInt32>(16)
    /// Feature flags a reader may ignore.
    package static let optionalFlags = Field<UInt32>(20)
    /// The 16 random bytes that name the file.
    package static let fileID = ByteField(24, count: 16)
    /// The directory's absolute offset D.
    package static let directoryOffset = Field<UInt64>(40)
    /// The directory's length DL.
    package static let directoryLength = Field<UInt64>(48)
    /// The CRC-32 of the directory's bytes.
    package static let directoryChecksum = Field<UInt32>(56)
    /// The CRC-32 of the header's bytes before this field.
    package static let checksum = Field<UInt32>(60)
}
