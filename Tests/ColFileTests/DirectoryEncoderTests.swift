@testable import ColFile
import Testing

/// The directory's column records and heap (Specification.md §5.2, §5.4), as
/// ``DirectoryEncoder`` lays them out: every field of every record where its layout says, each
/// heap entry 8-aligned with zero padding, nothing else set.
@Suite struct DirectoryEncoderTests {
    /// A column with every record field set to a value of its own.
    static func column(_ index: Int, name: String, type: PhysicalType = .int64, logicalType: LogicalType = .none,
                       shape: [Int] = [], metadata: [String: String] = [:],
                       dictionary: DictionaryEncoding? = nil) -> FinishedColumn {
        func descriptor(_ slot: UInt64) -> BufferDescriptor {
            let base = UInt64(index) << 16 | slot << 8
            return BufferDescriptor(offset: base | 1, storedLength: base | 2, decodedLength: base | 3,
                                    checksum: UInt32(truncatingIfNeeded: base | 4))
        }
        var buffers = ColumnBuffers(validity: descriptor(0), offsets: descriptor(1), values: descriptor(2))
        if dictionary != nil {
            buffers.dictionaryOffsets = descriptor(3)
            buffers.dictionaryValues = descriptor(4)
        }
        return FinishedColumn(
            declaration: ColumnDeclaration(name: name, physicalType: type, logicalType: logicalType, shape: shape,
                                           metadata: metadata, dictionaryValueType: dictionary?.valueType),
            rowCount: UInt64(1000 + index), nullCount: UInt64(index), physicalType: dictionary == nil ? type : .dictionary,
            buffers: buffers, codec: index % 2 == 0 ? .none : .zstd, dictionary: dictionary)
    }

    static let columns = [
        column(0, name: "a"),
        column(1, name: "eight_by", logicalType: .date, metadata: ["unit": "days"]),
        column(2, name: "nine_byte", type: .float32, shape: [2, 3]),
        column(3, name: "t", logicalType: .timestamp(unit: .microseconds, timeZone: "Europe/Paris")),
        column(4, name: "naïve", logicalType: .timestamp(unit: .nanoseconds, timeZone: nil)),
    ]

    @Test(arguments: [false, true])
    func recordsAndHeapHoldEveryField(dictionary: Bool) throws {
        var columns = Self.columns
        if dictionary {
            columns.append(Self.column(5, name: "codes", type: .string,
                                       dictionary: DictionaryEncoding(indexType: .int16, valueType: .string, entryCount: 77)))
        }
        let fileMetadata = ["file": "yes"]
        let directory = DirectoryEncoder.encode(columns: columns, rowCount: 9, metadata: fileMetadata)
        let recordLength = dictionary ? ColumnRecordLayout.dictionaryLength : ColumnRecordLayout.length
        let recordsOffset = DirectoryHeaderLayout.length
        let heapOffset = recordsOffset + columns.count * recordLength + (columns.count * 4 + 7) / 8 * 8
        var covered = [Bool](repeating: false, count: directory.count - heapOffset)
        func heapEntry(_ offset: UInt32, _ length: Int) -> [UInt8] {
            #expect(offset % 8 == 0, "heap entries are 8-aligned")
            for index in Int(offset)..<(Int(offset) + length) { covered[index] = true }
            return Array(directory[(heapOffset + Int(offset))..<(heapOffset + Int(offset) + length)])
        }
        try unsafe directory.withUnsafeBytes { raw in
            let bytes = unsafe ByteView(raw)
            for (index, column) in columns.enumerated() {
                let record = ColumnRecord(bytes, at: recordsOffset + index * recordLength, recordLength: recordLength)
                let declaration = column.declaration
                #expect(heapEntry(record.nameOffset, Int(record.nameLength)) == Array(declaration.name.utf8))
                #expect(record.physicalTypeCode == column.physicalType.rawValue)
                #expect(record.logicalTypeCode == declaration.logicalType.code)
                #expect(record.flags == FormatConstants.columnFlagHasValidity)
                #expect(record.codec == column.codec.rawValue)
                #expect(record.rank == UInt8(declaration.shape.count))
                #expect(record.rowCount == column.rowCount && record.nullCount == column.nullCount)
                #expect(record.buffers == column.buffers)
                let shape = heapEntry(record.shapeOffset, 8 * declaration.shape.count)
                #expect(shape == declaration.shape.flatMap { dimension in (0..<8).map { UInt8(truncatingIfNeeded: dimension >> (8 * $0)) } })
                if case .timestamp(let unit, let zone) = declaration.logicalType {
                    #expect(record.timeUnitCode == unit.rawValue)
                    #expect(heapEntry(record.timeZoneOffset, Int(record.timeZoneLength)) == Array((zone ?? "").utf8))
                } else {
                    #expect(record.timeUnitCode == 0 && record.timeZoneLength == 0)
                }
                let metadata = declaration.metadata.isEmpty ? [] : MetadataBlock.encoded(declaration.metadata)
                #expect(heapEntry(record.metadataOffset, Int(record.metadataLength)) == metadata)
                let expected = column.dictionary.map { ($0.indexType.rawValue, $0.valueType.rawValue, UInt64($0.entryCount)) }
                #expect(record.dictionaryIndexTypeCode == (expected?.0 ?? 0))
                #expect(record.dictionaryValueTypeCode == (expected?.1 ?? 0))
                #expect(record.dictionaryEntryCount == (expected?.2 ?? 0))
            }
            let metadataBlock = MetadataBlock.encoded(fileMetadata)
            let metadataStart = covered.count - (metadataBlock.count + 7) / 8 * 8
            #expect(heapEntry(UInt32(metadataStart), metadataBlock.count) == metadataBlock)
            // Every byte no entry covers is padding: zero.
            for (index, isCovered) in covered.enumerated() where !isCovered {
                #expect(directory[heapOffset + index] == 0, "heap byte \(index) is padding")
            }
            _ = try #require(recordLength <= raw.count)
        }
    }
}
