/// One column record of the directory, as stored (Specification.md §5.2).
///
/// Parsing reads the fields and checks nothing; `ColumnValidator` checks them.
struct ColumnRecord: Sendable, Equatable {
    /// Position of the name in the heap.
    var nameOffset: UInt32
    /// Length of the name in bytes.
    var nameLength: UInt32
    /// Physical type code (§6.1).
    var physicalTypeCode: UInt8
    /// Logical type code (§6.2).
    var logicalTypeCode: UInt8
    /// Time unit code, for timestamps.
    var timeUnitCode: UInt8
    /// Column flags; bit 0 = has validity.
    var flags: UInt8
    /// Codec code; 0 = none.
    var codec: UInt8
    /// Tensor rank; 0 for scalar columns.
    var rank: UInt8
    /// Index type code of a dictionary-encoded column (byte 14, §6.4); 0 for other columns.
    var dictionaryIndexTypeCode: UInt8 = 0
    /// Value type code of a dictionary-encoded column (byte 15, §6.4); 0 for other columns.
    var dictionaryValueTypeCode: UInt8 = 0
    /// Dictionary length N (byte 160, §6.4); 0 for other columns and in 160-byte records.
    var dictionaryEntryCount: UInt64 = 0
    /// Rows in the column.
    var rowCount: UInt64
    /// Null rows in the column.
    var nullCount: UInt64
    /// Position of the shape (rank × u64) in the heap.
    var shapeOffset: UInt32
    /// Position of the time zone in the heap.
    var timeZoneOffset: UInt32
    /// Length of the time zone; 0 = none.
    var timeZoneLength: UInt32
    /// Position of the column metadata block in the heap.
    var metadataOffset: UInt32
    /// Length of the column metadata block; 0 = none.
    var metadataLength: UInt32
    /// Buffer descriptors, indexed by ``BufferRole`` raw value.
    var buffers: ColumnBuffers

    /// Reads the record at `position` of the directory, which the caller has checked holds
    /// `recordLength` (at least 160) bytes; the fields after byte 160 (§5.2) are read only when
    /// the records are long enough to hold them, and are zero otherwise.
    ///
    /// The record's range is checked once, here: its fields lie at constant offsets inside it, so
    /// the loads need no check of their own (two dozen of them, each with an overflow and a range
    /// check, cost about 280 instructions a record, parsed twice an attach; BENCHMARKS.md "Attach:
    /// the user-space work at open").
    init(_ directory: ByteView, at position: Int, recordLength: Int) {
        typealias Layout = ColumnRecordLayout
        let record = directory.slice(offset: position, length: recordLength)
        // Known from here to the compiler, which then drops the range check of every load below.
        precondition(record.count >= Layout.length, "a column record is at least 160 bytes")
        nameOffset = record.load(Layout.nameOffset)
        nameLength = record.load(Layout.nameLength)
        physicalTypeCode = record.load(Layout.physicalType)
        logicalTypeCode = record.load(Layout.logicalType)
        timeUnitCode = record.load(Layout.timeUnit)
        flags = record.load(Layout.flags)
        codec = record.load(Layout.codec)
        rank = record.load(Layout.rank)
        dictionaryIndexTypeCode = record.load(Layout.dictionaryIndexType)
        dictionaryValueTypeCode = record.load(Layout.dictionaryValueType)
        rowCount = record.load(Layout.rowCount)
        nullCount = record.load(Layout.nullCount)
        shapeOffset = record.load(Layout.shapeOffset)
        timeZoneOffset = record.load(Layout.timeZoneOffset)
        timeZoneLength = record.load(Layout.timeZoneLength)
        metadataOffset = record.load(Layout.metadataOffset)
        metadataLength = record.load(Layout.metadataLength)
        buffers = ColumnBuffers(validity: BufferDescriptor(inRecord: record, at: Layout.buffer(0)),
                                offsets: BufferDescriptor(inRecord: record, at: Layout.buffer(1)),
                                values: BufferDescriptor(inRecord: record, at: Layout.buffer(2)))
        if record.count >= Layout.dictionaryLength {
            dictionaryEntryCount = record.load(Layout.dictionaryEntryCount)
            buffers.dictionaryOffsets = BufferDescriptor(inRecord: record, at: Layout.buffer(3))
            buffers.dictionaryValues = BufferDescriptor(inRecord: record, at: Layout.buffer(4))
        }
    }

    /// A record from its fields, for the writer.
    init(
        nameOffset: UInt32, nameLength: UInt32, physicalTypeCode: UInt8, logicalTypeCode: UInt8,
        timeUnitCode: UInt8, flags: UInt8, rank: UInt8, rowCount: UInt64, nullCount: UInt64,
        shapeOffset: UInt32, timeZoneOffset: UInt32, timeZoneLength: UInt32,
        metadataOffset: UInt32, metadataLength: UInt32, codec: UInt8, buffers: ColumnBuffers,
        dictionary: (indexType: UInt8, valueType: UInt8, entryCount: UInt64)? = nil
    ) {
        self.nameOffset = nameOffset
        self.nameLength = nameLength
        self.physicalTypeCode = physicalTypeCode
        self.logicalTypeCode = logicalTypeCode
        self.timeUnitCode = timeUnitCode
        self.flags = flags
        self.codec = codec
        self.rank = rank
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.shapeOffset = shapeOffset
        self.timeZoneOffset = timeZoneOffset
        self.timeZoneLength = timeZoneLength
        self.metadataOffset = metadataOffset
        self.metadataLength = metadataLength
        self.buffers = ColumnBuffers(validity: buffers.validity, offsets: buffers.offsets, values: buffers.values)
        if let dictionary {
            dictionaryIndexTypeCode = dictionary.indexType
            dictionaryValueTypeCode = dictionary.valueType
            dictionaryEntryCount = dictionary.entryCount
            self.buffers.dictionaryOffsets = buffers.dictionaryOffsets
            self.buffers.dictionaryValues = buffers.dictionaryValues
        }
    }

    /// Whether the validity buffer is present (flag bit 0).
    var hasValidity: Bool { flags & FormatConstants.columnFlagHasValidity != 0 }

    /// Sets the `recordLength` bytes of this record at `base` of `writer`, which holds zeros
    /// there (the directory encoder writes all records into one buffer, allocating nothing per
    /// column, and sets them all in one ``ByteWriter/withFields(_:)``).
    ///
    /// The record's range is checked once, here; its fields lie at constant offsets inside it, so
    /// the stores need no check of their own (35 checked stores cost 515 instructions a record,
    /// 25.8 M of an import of 50,000 columns; BENCHMARKS.md "Wide tables and attach").
    ///
    /// - Precondition: `recordLength` is 160 or 232 (§5.1) and the record lies inside `writer`.
    func encode(into writer: inout MutableRawSpan, at base: Int, recordLength: Int) {
        typealias Layout = ColumnRecordLayout
        precondition(recordLength == Layout.length || recordLength == Layout.dictionaryLength,
                     "a column record is 160 or 232 bytes")
        precondition(base >= 0 && recordLength <= writer.byteCount - base, "a column record set past the end of its bytes")
        // Audited unsafe scope: every field below ends at most at byte 160 of the record, and
        // the dictionary's fields (up to byte 232) only in a 232-byte record: inside the range
        // checked above.
        unsafe writer.setUnchecked(nameOffset, at: Layout.nameOffset, base: base)
        unsafe writer.setUnchecked(nameLength, at: Layout.nameLength, base: base)
        unsafe writer.setUnchecked(physicalTypeCode, at: Layout.physicalType, base: base)
        unsafe writer.setUnchecked(logicalTypeCode, at: Layout.logicalType, base: base)
        unsafe writer.setUnchecked(timeUnitCode, at: Layout.timeUnit, base: base)
        unsafe writer.setUnchecked(flags, at: Layout.flags, base: base)
        unsafe writer.setUnchecked(codec, at: Layout.codec, base: base)
        unsafe writer.setUnchecked(rank, at: Layout.rank, base: base)
        unsafe writer.setUnchecked(dictionaryIndexTypeCode, at: Layout.dictionaryIndexType, base: base)
        unsafe writer.setUnchecked(dictionaryValueTypeCode, at: Layout.dictionaryValueType, base: base)
        unsafe writer.setUnchecked(rowCount, at: Layout.rowCount, base: base)
        unsafe writer.setUnchecked(nullCount, at: Layout.nullCount, base: base)
        unsafe writer.setUnchecked(shapeOffset, at: Layout.shapeOffset, base: base)
        unsafe writer.setUnchecked(timeZoneOffset, at: Layout.timeZoneOffset, base: base)
        unsafe writer.setUnchecked(timeZoneLength, at: Layout.timeZoneLength, base: base)
        unsafe writer.setUnchecked(metadataOffset, at: Layout.metadataOffset, base: base)
        unsafe writer.setUnchecked(metadataLength, at: Layout.metadataLength, base: base)
        unsafe buffers.validity.encodeUnchecked(into: &writer, at: base + Layout.buffer(0))
        unsafe buffers.offsets.encodeUnchecked(into: &writer, at: base + Layout.buffer(1))
        unsafe buffers.values.encodeUnchecked(into: &writer, at: base + Layout.buffer(2))
        if recordLength == Layout.dictionaryLength {
            unsafe writer.setUnchecked(dictionaryEntryCount, at: Layout.dictionaryEntryCount, base: base)
            unsafe buffers.dictionaryOffsets.encodeUnchecked(into: &writer, at: base + Layout.buffer(3))
            unsafe buffers.dictionaryValues.encodeUnchecked(into: &writer, at: base + Layout.buffer(4))
        }
    }
}

/// The buffer descriptors of a column record, stored inline (reading a record allocates nothing):
/// slots 3 and 4 are absent except in dictionary-encoded columns (§6.4).
struct ColumnBuffers: Sendable, Equatable {
    /// Slot 0.
    var validity: BufferDescriptor
    /// Slot 1.
    var offsets: BufferDescriptor
    /// Slot 2.
    var values: BufferDescriptor
    /// Slot 3.
    var dictionaryOffsets = BufferDescriptor.absent
    /// Slot 4.
    var dictionaryValues = BufferDescriptor.absent

    /// Every slot absent: what a writer starts a column's descriptors from.
    static let absent = ColumnBuffers(validity: .absent, offsets: .absent, values: .absent)

    /// The descriptor in slot `index` (a ``BufferRole`` raw value).
    subscript(index: Int) -> BufferDescriptor {
        switch index {
        case 0: validity
        case 1: offsets
        case 2: values
        case 3: dictionaryOffsets
        default: dictionaryValues
        }
    }
}
