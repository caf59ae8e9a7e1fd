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
    init(_ directory: ByteView, at position: Int, recordLength: Int) {
        typealias Layout = ColumnRecordLayout
        nameOffset = directory.load(Layout.nameOffset, at: position)
        nameLength = directory.load(Layout.nameLength, at: position)
        physicalTypeCode = directory.load(Layout.physicalType, at: position)
        logicalTypeCode = directory.load(Layout.logicalType, at: position)
        timeUnitCode = directory.load(Layout.timeUnit, at: position)
        flags = directory.load(Layout.flags, at: position)
        codec = directory.load(Layout.codec, at: position)
        rank = directory.load(Layout.rank, at: position)
        dictionaryIndexTypeCode = directory.load(Layout.dictionaryIndexType, at: position)
        dictionaryValueTypeCode = directory.load(Layout.dictionaryValueType, at: position)
        rowCount = directory.load(Layout.rowCount, at: position)
        nullCount = directory.load(Layout.nullCount, at: position)
        shapeOffset = directory.load(Layout.shapeOffset, at: position)
        timeZoneOffset = directory.load(Layout.timeZoneOffset, at: position)
        timeZoneLength = directory.load(Layout.timeZoneLength, at: position)
        metadataOffset = directory.load(Layout.metadataOffset, at: position)
        metadataLength = directory.load(Layout.metadataLength, at: position)
        buffers = ColumnBuffers(validity: BufferDescriptor(directory, at: position + Layout.buffer(0)),
                                offsets: BufferDescriptor(directory, at: position + Layout.buffer(1)),
                                values: BufferDescriptor(directory, at: position + Layout.buffer(2)))
        if recordLength >= Layout.dictionaryLength {
            dictionaryEntryCount = directory.load(Layout.dictionaryEntryCount, at: position)
            buffers.dictionaryOffsets = BufferDescriptor(directory, at: position + Layout.buffer(3))
            buffers.dictionaryValues = BufferDescriptor(directory, at: position + Layout.buffer(4))
        }
    }

    /// A record from its fields, for the writer.
    init(
        nameOffset: UInt32, nameLength: UInt32, physicalTypeCode: UInt8, logicalTypeCode: UInt8,
        timeUnitCode: UInt8, flags: UInt8, rank: UInt8, rowCount: UInt64, nullCount: UInt64,
        shapeOffset: UInt32, timeZoneOffset: UInt32, timeZoneLength: UInt32,
        metadataOffset: UInt32, metadataLength: UInt32, codec: UInt8, buffers: [BufferDescriptor],
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
        self.buffers = ColumnBuffers(validity: buffers[0], offsets: buffers[1], values: buffers[2])
        if let dictionary {
            dictionaryIndexTypeCode = dictionary.indexType
            dictionaryValueTypeCode = dictionary.valueType
            dictionaryEntryCount = dictionary.entryCount
            self.buffers.dictionaryOffsets = buffers[3]
            self.buffers.dictionaryValues = buffers[4]
        }
    }

    /// Whether the validity buffer is present (flag bit 0).
    var hasValidity: Bool { flags & FormatConstants.columnFlagHasValidity != 0 }

    /// Sets the `recordLength` bytes of this record at `base` of `writer`, which holds zeros
    /// there (the directory encoder writes all records into one buffer, allocating nothing per
    /// column).
    func encode(into writer: inout ByteWriter, at base: Int, recordLength: Int) {
        typealias Layout = ColumnRecordLayout
        writer.set(nameOffset, at: Layout.nameOffset, base: base)
        writer.set(nameLength, at: Layout.nameLength, base: base)
        writer.set(physicalTypeCode, at: Layout.physicalType, base: base)
        writer.set(logicalTypeCode, at: Layout.logicalType, base: base)
        writer.set(timeUnitCode, at: Layout.timeUnit, base: base)
        writer.set(flags, at: Layout.flags, base: base)
        writer.set(codec, at: Layout.codec, base: base)
        writer.set(rank, at: Layout.rank, base: base)
        writer.set(dictionaryIndexTypeCode, at: Layout.dictionaryIndexType, base: base)
        writer.set(dictionaryValueTypeCode, at: Layout.dictionaryValueType, base: base)
        writer.set(rowCount, at: Layout.rowCount, base: base)
        writer.set(nullCount, at: Layout.nullCount, base: base)
        writer.set(shapeOffset, at: Layout.shapeOffset, base: base)
        writer.set(timeZoneOffset, at: Layout.timeZoneOffset, base: base)
        writer.set(timeZoneLength, at: Layout.timeZoneLength, base: base)
        writer.set(metadataOffset, at: Layout.metadataOffset, base: base)
        writer.set(metadataLength, at: Layout.metadataLength, base: base)
        for role in BufferRole.allCases where Layout.buffer(role.rawValue) < recordLength {
            buffers[role.rawValue].encode(into: &writer, at: base + Layout.buffer(role.rawValue))
        }
        if recordLength >= Layout.dictionaryLength {
            writer.set(dictionaryEntryCount, at: Layout.dictionaryEntryCount, base: base)
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
