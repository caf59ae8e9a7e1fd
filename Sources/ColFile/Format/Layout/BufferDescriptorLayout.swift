/// The fields of a 32-byte buffer descriptor in a column record (Specification.md §5.2).
package enum BufferDescriptorLayout {
    /// The descriptor's length.
    package static let length = 32
    /// The buffer's absolute offset.
    package static let offset = Field<UInt64>(0)
    /// The bytes the buffer occupies in the file.
    package static let storedLength = Field<UInt64>(8)
    /// The bytes of the buffer's content (equal to the stored length without a codec).
    package static let decodedLength = Field<UInt64>(16)
    /// The CRC-32 of the buffer's content.
    package static let checksum = Field<UInt32>(24)
    /// Reserved, 0.
    package static let reserved = Field<UInt32>(28)
}
