/// The fields of the 64-byte header at offset 0 of a draft (Specification.md §15.2).
package enum DraftHeaderLayout {
    /// The header's length.
    package static let length = 64
    /// `\x89COD\r\n\x1a\n` (``DraftConstants/magic``).
    package static let magic = ByteField(0, count: 8)
    /// The draft layout's major version.
    package static let majorVersion = Field<UInt16>(8)
    /// The draft layout's minor version.
    package static let minorVersion = Field<UInt16>(10)
    /// The header's length, 64.
    package static let headerLength = Field<UInt32>(12)
    /// The draft's state: 1 open, 2 sealing (``DraftState``).
    package static let state = Field<UInt32>(16)
    /// The description's length DL.
    package static let descriptionLength = Field<UInt32>(20)
    /// The 16 random bytes that will name the sealed file.
    package static let fileID = ByteField(24, count: 16)
    /// The description's absolute offset D.
    package static let descriptionOffset = Field<UInt64>(40)
    /// Rows in each claimable range, S.
    package static let rowsPerRange = Field<UInt64>(48)
    /// The CRC-32 of the description's bytes.
    package static let descriptionChecksum = Field<UInt32>(56)
    /// The CRC-32 of the header's bytes before this field.
    package static let checksum = Field<UInt32>(60)
}

/// The claim table of a draft at offset 64: a 64-byte header, then one 16-byte entry per range of
/// rows (Specification.md §15.3). Its words change while workers fill the draft, so no checksum
/// covers them.
package enum ClaimTableLayout {
    /// Where the claim table starts in the draft.
    package static let offset = 64
    /// The claim table header's length.
    package static let headerLength = 64
    /// The next range never handed out, u64; changed under the claim lock.
    package static let nextRange = Field<UInt64>(0)
    /// The number of ranges K = ⌈R / S⌉, u64; fixed at creation.
    package static let rangeCount = Field<UInt64>(8)
    /// The length of one range entry.
    package static let entryLength = 16
    /// A range's state, u32 (``RangeState``).
    package static let entryState = Field<UInt32>(0)
    /// How many times the range was claimed, u32.
    package static let entryAttempts = Field<UInt32>(4)
    /// The process id of the range's last claimer, u32; for people only (liveness is the lock's).
    package static let entryOwner = Field<UInt32>(8)

    /// The absolute offset of range `index`'s entry.
    package static func entry(_ index: Int) -> Int { offset + headerLength + index * entryLength }

    /// The end of a claim table of `rangeCount` ranges.
    package static func end(rangeCount: Int) -> Int { entry(rangeCount) }
}
