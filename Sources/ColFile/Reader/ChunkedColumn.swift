/// Random access to single rows, and scans in bounded memory, of one column without decoding all
/// of it: a cold column decodes only the chunks that hold the rows asked for (Specification.md
/// §13); a plain column reads its bytes in place.
///
/// Keeps the last decoded chunk of each buffer, so reading rows in order decodes each chunk once.
/// Not thread-safe: use one per thread (they are cheap).
///
/// A dictionary-encoded column (Specification.md §6.4) reads the same way: ``string(at:)``,
/// ``bytes(at:)`` and ``value(at:as:)`` give a row's value through its index, which
/// ``dictionaryIndex(at:)`` gives alone. Random access checks what it reads (the row's index
/// against the dictionary, the entry's offsets and UTF-8), not the whole column.
public final class ChunkedColumn {
    /// The column's description.
    public let info: ColumnInfo
    private let reader: ColFileReader
    private var decoders = [ChunkDecoder?](repeating: nil, count: BufferRole.allCases.count)
    private var lastChunk = [(chunk: Int, bytes: [UInt8])?](repeating: nil, count: BufferRole.allCases.count)

    init(reader: ColFileReader, info: ColumnInfo) {
        self.reader = reader
        self.info = info
    }

    // MARK: - Random access

    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< info.rowCount`.
    public func isNull(_ row: Int) throws -> Bool {
        try reader.intact {
            precondition(row >= 0 && row < info.rowCount, "row index out of range")
            guard buffer(.validity) != nil else { return false }
            return try bit(.validity, row) == false
        }
    }

    /// The value of `row` of a scalar fixed-width column, or nil when it is null.
    ///
    /// - Throws: ``ColFileError/Code/typeMismatch``, or a decoding error.
    public func value<Element: FixedWidthElement>(at row: Int, as type: Element.Type = Element.self) throws -> Element? {
        try reader.intact {
            try expect(Element.physicalType == info.valueType && info.shape.isEmpty, "a scalar column of \(Element.self)")
            let size = MemoryLayout<Element>.size
            let bytes: [UInt8]
            if info.dictionary != nil {
                guard let entry = try dictionaryIndex(at: row) else { return nil }
                bytes = try read(.dictionaryValues, entry * size..<(entry + 1) * size)
            } else {
                guard try !isNull(row) else { return nil }
                bytes = try read(.values, row * size..<(row + 1) * size)
            }
            return unsafe bytes.withUnsafeBytes { unsafe $0.loadUnaligned(as: Element.self) }
        }
    }

    /// The dictionary index of `row` of a dictionary-encoded column, or nil when the row is null.
    ///
    /// - Throws: ``ColFileError/Code/typeMismatch`` for a column that is not dictionary-encoded;
    ///   ``ColFileError/Code/badDictionaryIndex`` when the row's index breaks Specification.md §6.4
    ///   (outside the dictionary, or not −1 for a null row); a decoding error.
    public func dictionaryIndex(at row: Int) throws -> Int? {
        try reader.intact {
            guard let encoding = info.dictionary else {
                try expect(false, "a dictionary-encoded column")
                return nil
            }
            let null = try isNull(row)
            let width = encoding.indexType.elementSize!
            let stored = try read(.values, row * width..<(row + 1) * width)
            let index = unsafe stored.withUnsafeBytes { raw in
                DictionaryIndices.load(unsafe ByteView(raw), encoding.indexType, 0)
            }
            let context = ErrorContext(path: reader.path, column: info.name)
            if null {
                guard index == -1 else {
                    throw context.error(.badDictionaryIndex, "null row \(row) has an index other than -1", expected: -1,
                                        found: index)
                }
                return nil
            }
            guard index >= 0, index < encoding.entryCount else {
                throw context.error(.badDictionaryIndex, "row \(row) has an index outside the dictionary",
                                    expected: encoding.entryCount == 0 ? "none: the dictionary is empty"
                                        : "0 to \(encoding.entryCount - 1)", found: index)
            }
            return index
        }
    }

    /// The values of `row` of a tensor column, or nil when it is null.
    public func tensorRow<Element: FixedWidthElement>(at row: Int, as type: Element.Type = Element.self) throws
        -> [Element]? {
        try reader.intact {
            try expect(Element.physicalType == info.physicalType && !info.shape.isEmpty, "a tensor column of \(Element.self)")
            guard try !isNull(row) else { return nil }
            let rowBytes = MemoryLayout<Element>.size * info.valuesPerRow
            let bytes = try read(.values, row * rowBytes..<(row + 1) * rowBytes)
            return unsafe bytes.withUnsafeBytes { raw in
                (0..<info.valuesPerRow).map { unsafe raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Element>.size, as: Element.self) }
            }
        }
    }

    /// The value of `row` of a Bool column, or nil when it is null.
    public func bool(at row: Int) throws -> Bool? {
        try reader.intact {
            try expect(info.physicalType == .bool, "a Bool column")
            guard try !isNull(row) else { return nil }
            return try bit(.values, row)
        }
    }

    /// The string of `row` of a String column, or nil when it is null. The row's bytes are checked
    /// to be UTF-8 (random access decodes one row, not the whole column; Specification.md §6.1).
    ///
    /// - Throws: ``ColFileError/Code/invalidUTF8`` for bytes that are not UTF-8.
    public func string(at row: Int) throws -> String? {
        try reader.intact {
            try expect(info.valueType.isString, "a String column")
            guard let bytes = try variableLengthBytes(row) else { return nil }
            guard let string = String(validating: bytes, as: UTF8.self) else {
                throw ColFileError(.invalidUTF8, path: reader.path, column: info.name, message: "row \(row) is not valid UTF-8")
            }
            return string
        }
    }

    /// The bytes of `row` of a String or Binary column, or nil when it is null.
    public func bytes(at row: Int) throws -> [UInt8]? {
        try reader.intact {
            try expect(info.valueType.offsetWidth != nil, "a String or Binary column")
            return try variableLengthBytes(row)
        }
    }

    // MARK: - Scans

    /// Calls `body` for consecutive runs of rows of a scalar fixed-width column, in order, with
    /// their values and a null test; holds one chunk of decoded values at a time.
    ///
    /// - Parameter body: Gets the rows of the run, their values (valid only during the call) and
    ///   a function telling whether a row (an index into the run's values) is null.
    public func forEachRun<Element: FixedWidthElement>(
        as type: Element.Type = Element.self,
        _ body: (_ rows: Range<Int>, _ values: Span<Element>, _ isNull: (Int) -> Bool) throws -> Void
    ) throws {
        try reader.intact {
            try expect(Element.physicalType == info.physicalType && info.shape.isEmpty, "a scalar column of \(Element.self)")
            let size = MemoryLayout<Element>.size
            let rowsPerRun = (buffer(.values)?.chunkSize).flatMap { $0 > 0 ? $0 / size : nil } ?? (Compression.defaultZlibChunkSize / size)
            var first = 0
            while first < info.rowCount {
                let rows = first..<min(info.rowCount, first + rowsPerRun)
                let values = try read(.values, rows.lowerBound * size..<rows.upperBound * size)
                let validity = buffer(.validity) == nil ? nil : try read(.validity, rows.lowerBound / 8..<(rows.upperBound + 7) / 8)
                let isNull = { (index: Int) -> Bool in
                    guard let validity else { return false }
                    return validity[index >> 3] & (1 << UInt8(index & 7)) == 0
                }
                try unsafe values.withUnsafeBytes { raw in
                    try body(rows, unsafe Span(_unsafeElements: raw.assumingMemoryBound(to: Element.self)), isNull)
                }
                first = rows.upperBound
            }
        }
    }

    // MARK: - Bytes

    private func expect(_ condition: Bool, _ expected: String) throws {
        guard condition else {
            throw ColFileError(.typeMismatch, path: reader.path, column: info.name, message: "the column has another type",
                               expected: expected, found: info.typeDescription)
        }
    }

    private func buffer(_ role: BufferRole) -> BufferInfo? {
        info.buffers.first { $0.role == role && $0.decodedLength > 0 }
    }

    private func bit(_ role: BufferRole, _ row: Int) throws -> Bool {
        try read(role, row / 8..<row / 8 + 1)[0] & (1 << UInt8(row % 8)) != 0
    }

    private func variableLengthBytes(_ row: Int) throws -> [UInt8]? {
        if info.dictionary != nil {
            guard let entry = try dictionaryIndex(at: row) else { return nil }
            return try variableLengthBytes(entry, .dictionaryOffsets, .dictionaryValues, item: "dictionary entry")
        }
        guard try !isNull(row) else { return nil }
        return try variableLengthBytes(row, .offsets, .values, item: "row")
    }

    /// The bytes of item `item` (a row, or a dictionary entry) through the offsets in `offsetsRole`.
    private func variableLengthBytes(_ item: Int, _ offsetsRole: BufferRole, _ valuesRole: BufferRole,
                                     item name: String) throws -> [UInt8] {
        let width = info.valueType.offsetWidth!
        let pair = try read(offsetsRole, item * width..<(item + 2) * width)
        let (start, end) = unsafe pair.withUnsafeBytes { raw in
            let offsets = unsafe ByteView(raw)
            return (VariableLengthValues.load(offsets, width: width, index: 0),
                    VariableLengthValues.load(offsets, width: width, index: 1))
        }
        let valuesLength = Int64(buffer(valuesRole)?.decodedLength ?? 0)
        guard start >= 0, start <= end, end <= valuesLength else {
            throw ColFileError(.offsetsNotIncreasing, path: reader.path, column: info.name,
                               message: "the offsets of \(name) \(item) are out of order or out of range",
                               expected: "0 ≤ start ≤ end ≤ \(valuesLength)", found: "\(start)..<\(end)")
        }
        return try read(valuesRole, Int(start)..<Int(end))
    }

    /// The decoded bytes `range` of the buffer in `role`.
    private func read(_ role: BufferRole, _ range: Range<Int>) throws -> [UInt8] {
        guard !range.isEmpty else { return [] }
        guard let buffer = buffer(role) else { preconditionFailure("read of an absent buffer") }
        precondition(range.upperBound <= Int(buffer.decodedLength), "read past the end of a buffer")
        guard info.isCompressed else {
            return reader.region.view.slice(offset: Int(buffer.offset) + range.lowerBound, length: range.count).array()
        }
        let decoder = try decoder(role, buffer)
        let chunkSize = decoder.index.chunkSize
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let chunk = position / chunkSize
            let bytes = try decodedChunk(role, chunk, decoder)
            let start = position - chunk * chunkSize
            let end = min(bytes.count, range.upperBound - chunk * chunkSize)
            result.append(contentsOf: bytes[start..<end])
            position = chunk * chunkSize + end
        }
        return result
    }

    private func decoder(_ role: BufferRole, _ buffer: BufferInfo) throws -> ChunkDecoder {
        if let decoder = decoders[role.rawValue] { return decoder }
        let decoder = try reader.chunkDecoder(info, buffer)
        decoders[role.rawValue] = decoder
        return decoder
    }

    private func decodedChunk(_ role: BufferRole, _ chunk: Int, _ decoder: ChunkDecoder) throws -> [UInt8] {
        if let last = lastChunk[role.rawValue], last.chunk == chunk { return last.bytes }
        var bytes = [UInt8](repeating: 0, count: decoder.index.expectedDecodedLength(of: chunk))
        try unsafe bytes.withUnsafeMutableBytes { try unsafe decoder.decode(chunk: chunk, into: $0) }
        lastChunk[role.rawValue] = (chunk, bytes)
        return bytes
    }
}

extension ColFileReader {
    /// Random access to rows, and scans in bounded memory, of the column `name` without decoding
    /// all of it (useful for cold columns; works for plain columns too).
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``.
    public func chunkedColumn(_ name: String) throws -> ChunkedColumn {
        ChunkedColumn(reader: self, info: try readableInfo(name))
    }
}
