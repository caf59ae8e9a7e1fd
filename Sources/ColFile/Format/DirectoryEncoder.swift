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
    /// The records encoded at a time by ``encode(columns:rowCount:metadata:into:)``: 1,024
    /// records are 168 KiB (232 KiB with dictionary fields), a piece that stays in the cache
    /// while it is copied on.
    static let recordsPerPiece = 1024

    /// The directory bytes for `columns` (in file order) and `metadata`; `rowCount` is R.
    ///
    /// - Complexity: O(C log C) for C columns (the name index is a sort).
    static func encode(columns: [FinishedColumn], rowCount: UInt64, metadata: [String: String]) -> [UInt8] {
        var directory: [UInt8] = []
        encode(columns: columns, rowCount: rowCount, metadata: metadata) { piece in
            directory.append(contentsOf: piece)
        }
        return directory
    }

    /// Hands the directory's bytes for `columns` (in file order) and `metadata` to `write`, in
    /// order, in pieces (the header, the records ``recordsPerPiece`` at a time, the name index,
    /// the heap): the same bytes as ``encode(columns:rowCount:metadata:)``, without the whole
    /// directory in memory at once (8.9 MB of fresh pages at 50,000 columns, which a writer
    /// would then copy into its file), so a writer can copy each piece into its staging buffer
    /// while it is in the cache. `rowCount` is R.
    ///
    /// - Complexity: O(C log C) for C columns (the name index is a sort), with no allocation per
    ///   column: a piece's records are set in place in its zeroed bytes (reused from piece to
    ///   piece), and the names sorted by their bytes in the heap, whose length is computed
    ///   first for the header.
    /// - Throws: what `write` throws.
    ///
    /// - Parameter summary: Whether some column is dictionary-encoded and the bytes the columns'
    ///   heap entries take (``heapLength(of:)`` summed), when the caller kept them as it
    ///   finished the columns (``FinishedColumns/summary``); else they are computed here, in a
    ///   pass over the columns.
    static func encode<Columns: RandomAccessCollection<FinishedColumn>>(
        columns: Columns, summary: (hasDictionary: Bool, heapLength: Int)? = nil, rowCount: UInt64,
        metadata: [String: String], into write: ([UInt8]) throws -> Void
    ) rethrows where Columns.Index == Int {
        // 232-byte records exactly when some column needs their dictionary fields (§5.1, §6.4).
        // The heap: every column's entries, then the file's metadata.
        var hasDictionary = false
        var columnsHeapLength = 0
        if let summary {
            (hasDictionary, columnsHeapLength) = summary
        } else {
            for index in columns.indices {
                let column = columns[index]
                hasDictionary = hasDictionary || column.dictionary != nil
                columnsHeapLength += heapLength(of: column.declaration)
            }
        }
        let recordLength = hasDictionary ? ColumnRecordLayout.dictionaryLength : ColumnRecordLayout.length
        let recordsOffset = DirectoryHeaderLayout.length
        let nameIndexOffset = recordsOffset + columns.count * recordLength
        let heapOffset = nameIndexOffset + (columns.count * 4 + 7) / 8 * 8
        let fileMetadata = metadata.isEmpty ? [] : MetadataBlock.encoded(metadata)
        let heapLength = columnsHeapLength + paddedTo8(fileMetadata.count)
        try write(DirectoryHeader(
            columnCount: columns.count, rowCount: rowCount, recordLength: recordLength,
            recordsOffset: recordsOffset, nameIndexOffset: nameIndexOffset, heapOffset: heapOffset,
            heapLength: heapLength, fileMetadataOffset: metadata.isEmpty ? 0 : columnsHeapLength,
            fileMetadataLength: fileMetadata.count
        ).encoded())
        // The heap made zeroed at its final length, each entry set where it starts: its padding
        // is already zero (no append, nor a pad, per column).
        var heap = ByteWriter(zeros: heapLength)
        var heapEnd = 0
        // Where each column's name lies in the heap, for the name index.
        var names: [Range<Int>] = []
        names.reserveCapacity(columns.count)
        var piece = ByteWriter()
        piece.reserveCapacity(min(columns.count, recordsPerPiece) * recordLength)
        for first in stride(from: 0, to: columns.count, by: recordsPerPiece) {
            let end = min(first + recordsPerPiece, columns.count)
            piece.removeAll()
            piece.appendZeros((end - first) * recordLength)
            // By index, reading fields in place: no copy of a `FinishedColumn` per column; a
            // piece's records set in one `withFields`.
            piece.withFields { fields in
                for index in first..<end {
                    let record = setHeapEntries(of: columns[index], in: &heap, at: &heapEnd, names: &names)
                    record.encode(into: &fields, at: (index - first) * recordLength, recordLength: recordLength)
                }
            }
            try write(piece.bytes)
        }
        precondition(heapEnd == columnsHeapLength, "the columns' heap entries' length computed for the header")
        if !fileMetadata.isEmpty { heap.set(bytes: fileMetadata, at: heapEnd) }
        let heapBytes = heap.bytes
        let sorted = sortedByName(names, in: heapBytes)
        var nameIndex = ByteWriter(zeros: heapOffset - nameIndexOffset)
        nameIndex.withFields { fields in
            for (position, index) in sorted.enumerated() { fields.set(index, at: position * 4) }
        }
        try write(nameIndex.bytes)
        try write(heapBytes)
    }

    /// The indices of `names` (ranges of `heap`) in the order of their bytes, compared as
    /// unsigned bytes with a prefix first (the name index, §5.3).
    ///
    /// Each name is sorted by its first 8 bytes read as one big-endian number (zeros past its
    /// end), its bytes compared only when those are equal: that order is the bytes' order (a
    /// name that is a prefix of another has the smaller number, or an equal one, then the
    /// bytes decide), and the comparisons of a wide table's names, short and alike, are one
    /// integer comparison each instead of a walk through two slices.
    static func sortedByName(_ names: [Range<Int>], in heap: [UInt8]) -> [UInt32] {
        var keyed: [(key: UInt64, index: UInt32)] = []
        keyed.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            var key: UInt64 = 0
            for offset in 0..<8 {
                key <<= 8
                if offset < name.count { key |= UInt64(heap[name.lowerBound + offset]) }
            }
            keyed.append((key, UInt32(index)))
        }
        keyed.sort { left, right in
            if left.key != right.key { return left.key < right.key }
            return heap[names[Int(left.index)]].lexicographicallyPrecedes(heap[names[Int(right.index)]])
        }
        return keyed.map(\.index)
    }

    /// `length` rounded up to a multiple of 8 (every entry of the heap starts 8-aligned).
    private static func paddedTo8(_ length: Int) -> Int { (length + 7) / 8 * 8 }

    /// The bytes a column's entries take in the heap (what ``setHeapEntries(of:in:at:names:)``
    /// sets): its name, shape, time zone and metadata, each padded to a multiple of 8.
    static func heapLength(of declaration: borrowing ColumnDeclaration) -> Int {
        var length = heapLength(name: declaration.name, logicalType: declaration.logicalType) + 8 * declaration.shape.count
        if !declaration.metadata.isEmpty { length += paddedTo8(MetadataBlock.encoded(declaration.metadata).count) }
        return length
    }

    /// The bytes the heap entries of a scalar column without metadata take (a column of a
    /// ``ColumnTable``): its name and time zone, each padded to a multiple of 8; what
    /// ``heapLength(of:)`` says of its declaration, without making one.
    static func heapLength(name: String, logicalType: LogicalType) -> Int {
        var length = paddedTo8(name.utf8.count)
        if case .timestamp(_, let zone?) = logicalType { length += paddedTo8(zone.utf8.count) }
        return length
    }

    /// Sets `column`'s name, shape, time zone and metadata in the zeroed `heap` from `end` (each
    /// starting 8-aligned: the zeros between them are their padding), moves `end` past them, notes
    /// where its name lies in `names`, and returns its record.
    private static func setHeapEntries(of column: borrowing FinishedColumn, in heap: inout ByteWriter, at end: inout Int,
                                       names: inout [Range<Int>]) -> ColumnRecord {
        let nameOffset = UInt32(end)
        let nameLength = heap.set(utf8: column.declaration.name, at: end)
        names.append(end..<(end + nameLength))
        end += paddedTo8(nameLength)
        let shapeOffset = column.declaration.shape.isEmpty ? 0 : UInt32(end)
        for dimension in column.declaration.shape {
            heap.set(UInt64(dimension), at: end)
            end += 8
        }
        var timeZoneOffset: UInt32 = 0
        var timeZoneLength: UInt32 = 0
        var timeUnit: UInt8 = 0
        if case .timestamp(let unit, let zone) = column.declaration.logicalType {
            timeUnit = unit.rawValue
            if let zone {
                timeZoneOffset = UInt32(end)
                let length = heap.set(utf8: zone, at: end)
                timeZoneLength = UInt32(length)
                end += paddedTo8(length)
            }
        }
        var metadataOffset: UInt32 = 0
        var metadataLength: UInt32 = 0
        if !column.declaration.metadata.isEmpty {
            let block = MetadataBlock.encoded(column.declaration.metadata)
            metadataOffset = UInt32(end)
            metadataLength = UInt32(block.count)
            heap.set(bytes: block, at: end)
            end += paddedTo8(block.count)
        }
        return ColumnRecord(
            nameOffset: nameOffset, nameLength: UInt32(nameLength),
            physicalTypeCode: column.physicalType.rawValue, logicalTypeCode: column.declaration.logicalType.code,
            timeUnitCode: timeUnit,
            flags: column.buffers.validity.isAbsent ? 0 : FormatConstants.columnFlagHasValidity,
            rank: UInt8(column.declaration.shape.count), rowCount: column.rowCount, nullCount: column.nullCount,
            shapeOffset: shapeOffset, timeZoneOffset: timeZoneOffset, timeZoneLength: timeZoneLength,
            metadataOffset: metadataOffset, metadataLength: metadataLength, codec: column.codec.rawValue,
            buffers: column.buffers,
            dictionary: column.dictionary.map { ($0.indexType.rawValue, $0.valueType.rawValue, UInt64($0.entryCount)) })
    }
}
