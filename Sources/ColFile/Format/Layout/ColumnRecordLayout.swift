/// The fields of a column record (Specification.md §5.2): 160 bytes in format 1.0, 232 in files
/// with a dictionary-encoded column (§6.4; readers accept longer records,
/// ``DirectoryHeaderLayout/recordLength``). Heap offsets are relative to the heap.
package enum ColumnRecordLayout {
    /// The record's length in format 1.0, and in files without dictionary-encoded columns.
    package static let length = 160
    /// The record's length in files with a dictionary-encoded column (§5.1, §6.4): bytes 160–231
    /// hold the dictionary length and the descriptors of buffers 3 and 4.
    package static let dictionaryLength = 232
    /// Where the name lies in the heap.
    package static let nameOffset = Field<UInt32>(0)
    /// The name's length in bytes.
    package static let nameLength = Field<UInt32>(4)
    /// The physical type code (§6.1).
    package static let physicalType = Field<UInt8>(8)
    /// The logical type code (§6.2).
    package static let logicalType = Field<UInt8>(9)
    /// The time unit code of a timestamp, else 0.
    package static let timeUnit = Field<UInt8>(10)
    /// The column flags; bit 0 = has a validity buffer.
    package static let flags = Field<UInt8>(11)
    /// The codec code; 0 = none, 1 = zlib (§13).
    package static let codec = Field<UInt8>(12)
    /// The tensor rank; 0 for a scalar column.
    package static let rank = Field<UInt8>(13)
    /// The index type code of a dictionary-encoded column (§6.4): 1, 2 or 3 (Int8, Int16, Int32),
    /// the physical type code of the indices; 0 (ignored) for other columns.
    package static let dictionaryIndexType = Field<UInt8>(14)
    /// The physical type code of a dictionary-encoded column's values (§6.4); 0 (ignored) for other columns.
    package static let dictionaryValueType = Field<UInt8>(15)
    /// The column's row count, equal to R.
    package static let rowCount = Field<UInt64>(16)
    /// The column's null count.
    package static let nullCount = Field<UInt64>(24)
    /// Where the shape (rank × u64) lies in the heap.
    package static let shapeOffset = Field<UInt32>(32)
    /// Where the time zone lies in the heap.
    package static let timeZoneOffset = Field<UInt32>(36)
    /// The time zone's length; 0 = none.
    package static let timeZoneLength = Field<UInt32>(40)
    /// Where the column metadata block lies in the heap.
    package static let metadataOffset = Field<UInt32>(44)
    /// The column metadata block's length; 0 = none.
    package static let metadataLength = Field<UInt32>(48)
    /// Reserved, 0.
    package static let reservedAfterMetadata = Field<UInt32>(52)
    /// Where the first three buffer descriptors start (validity, offsets, values: ``BufferRole`` order).
    package static let buffers = 56
    /// Reserved, 0.
    package static let reservedAtEnd = Field<UInt64>(152)
    /// The number of entries N of a dictionary-encoded column's dictionary (§6.4); present only in
    /// records of at least ``dictionaryLength`` bytes, 0 for other columns.
    package static let dictionaryEntryCount = Field<UInt64>(160)
    /// Where the descriptors of buffers 3 and 4 (dictionary offsets, dictionary values) start.
    package static let dictionaryBuffers = 168

    /// The offset in the record of the descriptor of buffer `slot` (a ``BufferRole`` raw value):
    /// slots 0–2 at 56, 88, 120; slots 3 and 4 (dictionary-encoded columns) at 168 and 200.
    package static func buffer(_ slot: Int) -> Int {
        slot < 3 ? buffers + slot * BufferDescriptorLayout.length
            : dictionaryBuffers + (slot - 3) * BufferDescriptorLayout.length
    }
}
