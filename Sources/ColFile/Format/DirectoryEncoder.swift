/// A column the writer has finished: what its record in the directory will say.
struct FinishedColumn: Sendable {
    /// The column's declaration.
    var declaration: ColumnDeclaration
    /// Rows written.
    var rowCount: UInt64
    /// Null rows written.
    var nullCount: UInt64
    /// The physical type actually stored (String may become LargeString).
    var physicalType: PhysicalType
    /// Descriptors of the five buffer slots (§5.2): validity, offsets, values, and for a
    /// dictionary-encoded column dictionary offsets and dictionary values (absent otherwise);
    /// held inline (no array per column of a wide table).
    var buffers: ColumnBuffers
    /// How the buffers are stored.
    var codec: Codec
    /// For a dictionary-encoded column (`physicalType` ``PhysicalType/dictionary``), its encoding.
    var dictionary: DictionaryEncoding? = nil

    /// The first format minor version that has every feature this column uses (§3): 2 for a
    /// dictionary-encoded column (§6.4).
    var minorVersion: UInt16 { max(codec.minorVersion, dictionary == nil ? 0 : 2) }
}

/// Lays out the directory of Specification.md §5: header, records, name index, heap.
enum DirectoryEncoder {
    /// The directory bytes for `columns` (in file order) and `metadata`; `rowCount` is R.
    ///
    /// - Complexity: O(C log C) for C columns (the name index is a sort), with no allocation per
    ///   column: the records and the name index are set in place in the directory's zeroed bytes
    ///   (the heap is appended after them), and the names sorted by their bytes in the heap.
    static func encode(columns: [FinishedColumn], rowCount: UInt64, metadata: [String: String]) -> [UInt8] {
        // 232-byte records exactly when some column needs their dictionary fields (§5.1, §6.4).
        let recordLength = columns.contains { $0.dictionary != nil }
            ? ColumnRecordLayout.dictionaryLength : ColumnRecordLayout.length
        // Header, records and name index have known lengths: zeroed first, their fields set in place.
        let recordsOffset = DirectoryHeaderLayout.length
        let nameIndexOffset = recordsOffset + columns.count * recordLength
        let heapOffset = nameIndexOffset + (columns.count * 4 + 7) / 8 * 8
        var heap = ByteWriter()
        heap.reserveCapacity(columns.count * 16)
        var directory = ByteWriter()
        directory.reserveCapacity(heapOffset + columns.count * 16)
        directory.appendZeros(heapOffset)
        // Where each column's name lies in the heap, for the name index.
        var names: [Range<Int>] = []
        names.reserveCapacity(columns.count)
        // By index, reading fields in place: no copy of a `FinishedColumn` per column; the
        // records set in one `withFields`.
        directory.withFields { fields in
            for index in columns.indices {
                let declaration = columns[index].declaration
                let nameOffset = UInt32(heap.bytes.count)
                heap.append(bytes: declaration.name.utf8)
                names.append(Int(nameOffset)..<heap.bytes.count)
                heap.pad(toMultipleOf: 8)
                let shapeOffset = declaration.shape.isEmpty ? 0 : UInt32(heap.bytes.count)
                for dimension in declaration.shape { heap.append(UInt64(dimension)) }
                var timeZoneOffset: UInt32 = 0
                var timeZoneLength: UInt32 = 0
                var timeUnit: UInt8 = 0
                if case .timestamp(let unit, let zone) = declaration.logicalType {
                    timeUnit = unit.rawValue
                    if let zone {
                        timeZoneOffset = UInt32(heap.bytes.count)
                        timeZoneLength = UInt32(zone.utf8.count)
                        heap.append(bytes: zone.utf8)
                        heap.pad(toMultipleOf: 8)
                    }
                }
                var metadataOffset: UInt32 = 0
                var metadataLength: UInt32 = 0
                if !declaration.metadata.isEmpty {
                    let block = MetadataBlock.encoded(declaration.metadata)
                    metadataOffset = UInt32(heap.bytes.count)
                    metadataLength = UInt32(block.count)
                    heap.append(bytes: block)
                    heap.pad(toMultipleOf: 8)
                }
                let record = ColumnRecord(
                    nameOffset: nameOffset, nameLength: UInt32(declaration.name.utf8.count),
                    physicalTypeCode: columns[index].physicalType.rawValue, logicalTypeCode: declaration.logicalType.code,
                    timeUnitCode: timeUnit,
                    flags: columns[index].buffers.validity.isAbsent ? 0 : FormatConstants.columnFlagHasValidity,
                    rank: UInt8(declaration.shape.count), rowCount: columns[index].rowCount,
                    nullCount: columns[index].nullCount,
                    shapeOffset: shapeOffset, timeZoneOffset: timeZoneOffset, timeZoneLength: timeZoneLength,
                    metadataOffset: metadataOffset, metadataLength: metadataLength, codec: columns[index].codec.rawValue,
                    buffers: columns[index].buffers,
                    dictionary: columns[index].dictionary.map {
                        ($0.indexType.rawValue, $0.valueType.rawValue, UInt64($0.entryCount))
                    })
                record.encode(into: &fields, at: recordsOffset + index * recordLength, recordLength: recordLength)
            }
        }
        var fileMetadataOffset = 0
        var fileMetadataLength = 0
        if !metadata.isEmpty {
            let block = MetadataBlock.encoded(metadata)
            fileMetadataOffset = heap.bytes.count
            fileMetadataLength = block.count
            heap.append(bytes: block)
            heap.pad(toMultipleOf: 8)
        }
        let heapBytes = heap.bytes
        let sorted = columns.indices.sorted { heapBytes[names[$0]].lexicographicallyPrecedes(heapBytes[names[$1]]) }
        for (position, index) in sorted.enumerated() {
            directory.set(UInt32(index), at: nameIndexOffset + position * 4)
        }
        directory.set(bytes: DirectoryHeader(
            columnCount: columns.count, rowCount: rowCount, recordLength: recordLength,
            recordsOffset: recordsOffset, nameIndexOffset: nameIndexOffset, heapOffset: heapOffset,
            heapLength: heap.bytes.count, fileMetadataOffset: fileMetadataOffset,
            fileMetadataLength: fileMetadataLength
        ).encoded(), at: 0)
        directory.append(bytes: heapBytes)
        return directory.bytes
    }
}
