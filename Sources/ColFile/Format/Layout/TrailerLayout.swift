/// The fields of the 32-byte trailer at the end of the file (Specification.md §4); the first
/// three repeat the header's directory location.
package enum TrailerLayout {
    /// The trailer's length.
    package static let length = 32
    /// The directory's absolute offset.
    package static let directoryOffset = Field<UInt64>(0)
    /// The directory's length.
    package static let directoryLength = Field<UInt64>(8)
    /// The CRC-32 of the directory's bytes.
    package static let directoryChecksum = Field<UInt32>(16)
    /// Reserved, 0.
    package static let reserved = Field<UInt32>(20)
    /// `COLFEND\n` (``FormatConstants/endMagic``).
    package static let endMagic = ByteField(24, count: 8)
}
