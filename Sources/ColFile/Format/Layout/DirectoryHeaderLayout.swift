/// The fields of the 64-byte directory header at the directory's offset D (Specification.md §5.1).
/// Offsets of regions are relative to D, except the file metadata's (relative to the heap).
package enum DirectoryHeaderLayout {
    /// The directory header's length.
    package static let length = 64
    /// `CDIR` (``FormatConstants/directoryMagic``).
    package static let magic = Field<UInt32>(0)
    /// The column count C.
    package static let columnCount = Field<UInt32>(4)
    /// The row count R of every column.
    package static let rowCount = Field<UInt64>(8)
    /// The column record length RL.
    package static let recordLength = Field<UInt32>(16)
    /// Where the column records start.
    package static let recordsOffset = Field<UInt32>(20)
    /// Where the name index starts.
    package static let nameIndexOffset = Field<UInt32>(24)
    /// Where the heap starts.
    package static let heapOffset = Field<UInt32>(28)
    /// The heap's length H.
    package static let heapLength = Field<UInt32>(32)
    /// Where the file metadata block starts, relative to the heap.
    package static let fileMetadataOffset = Field<UInt32>(36)
    /// The file metadata block's length; 0 = none.
    package static let fileMetadataLength = Field<UInt32>(40)
    /// Reserved, zero.
    package static let reserved = ByteField(44, count: 20)
}
