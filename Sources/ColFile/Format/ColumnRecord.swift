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

    /// Reads the record at `position` of the directory, which the caller has checked holds 160 bytes.
    init(_ directory: ByteView, at position: Int) {
        nameOffset = directory.load(UInt32.self, at: position)
        nameLength = directory.load(UInt32.self, at: position + 4)
        physicalTypeCode = directory.load(UInt8.self, at: position + 8)
        logicalTypeCode = directory.load(UInt8.self, at: position + 9)
        timeUnitCode = directory.load(UInt8.self, at: position + 10)
        flags = directory.load(UInt8.self, at: position + 11)
        codec = directory.load(UInt8.self, at: position + 12)
        rank = directory.load(UInt8.self, at: position + 13)
        rowCount = directory.load(UInt64.self, at: position + 16)
        nullCount = directory.load(UInt64.self, at: position + 24)
        shapeOffset = directory.load(UInt32.self, at: position + 32)
        timeZoneOffset = directory.load(UInt32.self, at: position + 36)
        timeZoneLength = directory.load(UInt32.self, at: position + 40)
        metadataOffset = directory.load(UInt32.self, at: position + 44)
        metadataLength = directory.load(UInt32.self, at: position + 48)
        let first = position + 56
        let length = FormatConstants.bufferDescriptorLength
        buffers = ColumnBuffers(validity: BufferDescriptor(directory, at: first),
                                offsets: BufferDescriptor(directory, at: first + length),
                                values: BufferDescriptor(directory, at: first + 2 * length))
    }

    /// A record from its fields, for the writer.
    init(
        nameOffset: UInt32, nameLength: UInt32, physicalTypeCode: UInt8, logicalTypeCode: UInt8,
        timeUnitCode: UInt8, flags: UInt8, rank: UInt8, rowCount: UInt64, nullCount: UInt64,
        shapeOffset: UInt32, timeZoneOffset: UInt32, timeZoneLength: UInt32,
        metadataOffset: UInt32, metadataLength: UInt32, codec: UInt8, buffers: [BufferDescriptor]
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
    }

    /// Whether the validity buffer is present (flag bit 0).
    var hasValidity: Bool { flags & FormatConstants.columnFlagHasValidity != 0 }

    /// Appends the 160 bytes of this record.
    func encode(into writer: inout ByteWriter) {
        writer.append(nameOffset)
        writer.append(nameLength)
        writer.append(physicalTypeCode)
        writer.append(logicalTypeCode)
        writer.append(timeUnitCode)
        writer.append(flags)
        writer.append(codec)
        writer.append(rank)
        writer.append(UInt16(0))
        writer.append(rowCount)
        writer.append(nullCount)
        writer.append(shapeOffset)
        writer.append(timeZoneOffset)
        writer.append(timeZoneLength)
        writer.append(metadataOffset)
        writer.append(metadataLength)
        writer.append(UInt32(0))
        for role in BufferRole.allCases { buffers[role.rawValue].encode(into: &writer) }
        writer.append(UInt64(0))
    }
}

/// The three buffer descriptors of a column record, stored inline (reading a record allocates nothing).
struct ColumnBuffers: Sendable, Equatable {
    /// Slot 0.
    var validity: BufferDescriptor
    /// Slot 1.
    var offsets: BufferDescriptor
    /// Slot 2.
    var values: BufferDescriptor

    /// The descriptor in slot `index` (a ``BufferRole`` raw value).
    subscript(index: Int) -> BufferDescriptor {
        switch index {
        case 0: validity
        case 1: offsets
        default: values
        }
    }
}
