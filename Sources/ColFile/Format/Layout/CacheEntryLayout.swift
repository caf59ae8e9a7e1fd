/// The fields of the header of a decoded-column cache entry (Specification.md §13.4), at the start
/// of a 4096-byte page whose rest is zero: 92 bytes of data in entry layout version 1 (three buffer
/// slots), 124 in version 2 (five slots, for dictionary-encoded columns).
package enum CacheEntryLayout {
    /// The bytes of a version 1 header that carry data.
    package static let length = 92
    /// The bytes of the longest header that carry data (version 2).
    package static let maxLength = 124
    /// `COLFDCOL` (``CacheEntryHeader/magic``).
    package static let magic = ByteField(0, count: 8)
    /// The entry layout version.
    package static let version = Field<UInt32>(8)
    /// The column's index in the source file.
    package static let columnIndex = Field<UInt32>(12)
    /// The source file's id.
    package static let fileID = ByteField(16, count: 16)
    /// The source file's directory CRC-32.
    package static let directoryChecksum = Field<UInt32>(32)
    /// Reserved, 0.
    package static let reserved = Field<UInt32>(36)
    /// The CRC-32 of a version 1 header's bytes before this field.
    package static let checksum = Field<UInt32>(88)

    /// The number of buffer slots of entry layout `version`: 3 in version 1, 5 in version 2.
    package static func slotCount(version: UInt32) -> Int { version == 2 ? 5 : 3 }

    /// The CRC-32 of the bytes before it, after `slots` buffer slots: at 88 in version 1, at 120 in version 2.
    package static func checksum(slots: Int) -> Field<UInt32> { Field(40 + slots * 16) }

    /// The offset in the entry of decoded buffer `slot` (a ``BufferRole`` raw value).
    package static func bufferOffset(_ slot: Int) -> Field<UInt64> { Field(40 + slot * 16) }

    /// The length of decoded buffer `slot`.
    package static func bufferLength(_ slot: Int) -> Field<UInt64> { Field(48 + slot * 16) }
}
