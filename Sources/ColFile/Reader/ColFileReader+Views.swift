/// Where a column's (decoded) buffers are: in the file's own mapping for plain columns, or in a
/// decoded copy (shared cache entry or private memory) for compressed ones.
struct ColumnBytes {
    /// The memory holding the buffers; views keep it alive.
    let region: MappedRegion
    /// Offset and length of each present buffer in `region`, indexed by ``BufferRole``.
    let locations: [(offset: UInt64, length: Int)?]
    /// Whether `region` is the file itself (so offsets in errors are file offsets).
    let isFile: Bool

    /// The location of the buffer in `role`, if present.
    subscript(role: BufferRole) -> (offset: UInt64, length: Int)? { locations[role.rawValue] }

    /// The bytes of the buffer in `role`; empty when it is absent.
    func view(_ role: BufferRole) -> ByteView {
        let location = self[role] ?? (0, 0)
        return region.view(at: location.offset, length: location.length)
    }
}

extension ColFileReader {
    /// A zero-copy view of the scalar fixed-width column `name` (integers, floats, timestamps as
    /// `Int64`, dates as `Int32`). A compressed column is decoded first, once per machine with
    /// the shared cache (see ``ReaderOptions``).
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when the
    ///   column is not a scalar column of `Element`'s physical type, or a decoding error.
    public func column<Element: FixedWidthElement>(_ name: String, as type: Element.Type = Element.self) throws
        -> FixedWidthColumn<Element> {
        let parts = try scalarParts(name, Element.physicalType)
        return FixedWidthColumn(reader: self, index: parts.index,
                                values: MappedArray(owner: parts.region, bytes: parts.values, count: parts.rowCount),
                                validity: parts.validity.map {
                                    ValidityBitmap(owner: parts.region, bits: $0, rowCount: parts.rowCount)
                                })
    }

    /// What a view of a scalar fixed-width column is made of.
    struct ScalarParts {
        /// The column's index.
        var index: Int
        /// Its number of rows.
        var rowCount: Int
        /// The memory holding its (decoded) buffers.
        var region: MappedRegion
        /// Its values.
        var values: ByteView
        /// Its validity bitmap, if it has one.
        var validity: ByteView?
    }

    /// The parts of a view of the scalar column `name` of type `type` (``column(_:as:)``).
    ///
    /// A plain column's come straight from its record, which its first-use checks passed, without
    /// its description (``ColumnInfo``): what an attach waits for (BENCHMARKS.md, "Attach: the
    /// user-space work at open"). Any other column (compressed, unreadable, of another type) goes
    /// through its description, which decodes it or says why not.
    ///
    /// - Throws: as ``column(_:as:)``.
    private func scalarParts(_ name: String, _ type: PhysicalType) throws -> ScalarParts {
        try intact {
            guard let index = try layout.columnIndex(named: name) else { throw noSuchColumn(name) }
            if let unreadable = try layout.checkColumn(index, nameChecked: true) { throw unreadable }
            let record = layout.record(at: index)
            guard record.codec == Codec.none.rawValue, record.physicalTypeCode == type.rawValue, record.rank == 0 else {
                let info = describe(at: index, unreadable: nil)
                try expect(info, type, tensor: false)
                let bytes = try columnBytes(info)
                return ScalarParts(index: index, rowCount: info.rowCount, region: bytes.region,
                                   values: bytes.view(.values),
                                   validity: bytes[.validity] == nil ? nil : bytes.view(.validity))
            }
            // As `columnBytes` finds them for a plain column: the values always, validity when present.
            let values = record.buffers.values
            let validity = record.buffers.validity
            return ScalarParts(index: index, rowCount: Int(clamping: record.rowCount), region: region,
                               values: region.view(at: values.offset, length: Int(values.decodedLength)),
                               validity: validity.isAbsent ? nil
                                   : region.view(at: validity.offset, length: Int(validity.decodedLength)))
        }
    }

    /// A zero-copy view of the tensor column `name`, whose rows are arrays of `Element`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, or ``ColFileError/Code/typeMismatch`` when the
    ///   column is not a tensor column of `Element`'s physical type, or a decoding error.
    public func tensorColumn<Element: FixedWidthElement>(_ name: String, as type: Element.Type = Element.self) throws
        -> TensorColumn<Element> {
        try intact {
            let info = try readableInfo(name)
            try expect(info, Element.physicalType, tensor: true)
            let bytes = try columnBytes(info)
            return TensorColumn(info: info, elements: mappedArray(bytes, count: info.rowCount * info.valuesPerRow),
                                validity: bitmap(bytes, .validity, rows: info.rowCount))
        }
    }

    /// A zero-copy view of the Bool column `name`.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, ``ColFileError/Code/typeMismatch``, or a decoding error.
    public func boolColumn(_ name: String) throws -> BoolColumn {
        try intact {
            let info = try readableInfo(name)
            try expect(info, .bool, tensor: false)
            let bytes = try columnBytes(info)
            return BoolColumn(info: info, bits: bitmap(bytes, .values, rows: info.rowCount)!,
                              validity: bitmap(bytes, .validity, rows: info.rowCount))
        }
    }

    /// A zero-copy view of the String or LargeString column `name`.
    ///
    /// The first call for a column checks that its offsets start at 0, never decrease and end at
    /// the length of its values, and that every row is valid UTF-8 (O(rows + bytes), once per
    /// column and process; Specification.md §6.1, §9).
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``, ``ColFileError/Code/typeMismatch``,
    ///   ``ColFileError/Code/badOffsets``, ``ColFileError/Code/offsetsNotIncreasing``,
    ///   ``ColFileError/Code/invalidUTF8``, or a decoding error.
    public func stringColumn(_ name: String) throws -> StringColumn {
        try intact {
            let info = try readableInfo(name)
            guard info.physicalType.isString else { throw mismatch(info, expected: "String or LargeString") }
            let bytes = try columnBytes(info)
            return StringColumn(info: info, storage: try variableLengthValues(info, bytes),
                                validity: bitmap(bytes, .validity, rows: info.rowCount))
        }
    }

    /// A zero-copy view of the Binary or LargeBinary column `name`.
    ///
    /// - Throws: as ``stringColumn(_:)``.
    public func binaryColumn(_ name: String) throws -> BinaryColumn {
        try intact {
            let info = try readableInfo(name)
            guard info.physicalType == .binary || info.physicalType == .largeBinary else {
                throw mismatch(info, expected: "Binary or LargeBinary")
            }
            let bytes = try columnBytes(info)
            return BinaryColumn(info: info, storage: try variableLengthValues(info, bytes),
                                validity: bitmap(bytes, .validity, rows: info.rowCount))
        }
    }

    // MARK: - Building views

    /// The description of column `name`, which this reader must be able to read.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``; the column's ``ColumnInfo/unreadable`` error.
    func readableInfo(_ name: String) throws -> ColumnInfo {
        let info = try info(name)
        if let unreadable = info.unreadable { throw unreadable }
        return info
    }

    private func expect(_ info: ColumnInfo, _ type: PhysicalType, tensor: Bool) throws {
        guard info.physicalType == type, info.shape.isEmpty != tensor else {
            throw mismatch(info, expected: tensor ? "a tensor column of \(type)" : "a scalar column of \(type)")
        }
    }

    func mismatch(_ info: ColumnInfo, expected: String) -> ColFileError {
        if let dictionary = info.dictionary {
            // A plain view asked of a dictionary-encoded column: say how to read it.
            return ColFileError(.typeMismatch, path: path, column: info.name,
                                message: "the column is dictionary-encoded: read it with dictionaryColumn(_:)",
                                expected: expected, found: "a dictionary of \(dictionary.valueType)")
        }
        return ColFileError(.typeMismatch, path: path, column: info.name, message: "the column has another type",
                            expected: expected, found: info.typeDescription)
    }

    /// The column's buffers, decoding a compressed column first.
    func columnBytes(_ info: ColumnInfo) throws -> ColumnBytes {
        guard info.isCompressed else {
            var locations: [(offset: UInt64, length: Int)?] = Array(repeating: nil, count: BufferRole.allCases.count)
            for buffer in info.buffers { locations[buffer.role.rawValue] = (buffer.offset, Int(buffer.decodedLength)) }
            return ColumnBytes(region: region, locations: locations, isFile: true)
        }
        let layout = DecodedLayout(info)
        return ColumnBytes(region: try decodedRegion(info, layout: layout), locations: layout.locations, isFile: false)
    }

    func mappedArray<Element: FixedWidthElement>(_ bytes: ColumnBytes, count: Int) -> MappedArray<Element> {
        MappedArray(owner: bytes.region, bytes: bytes.view(.values), count: count)
    }

    func bitmap(_ bytes: ColumnBytes, _ role: BufferRole, rows: Int) -> ValidityBitmap? {
        guard bytes[role] != nil else { return nil }
        return ValidityBitmap(owner: bytes.region, bits: bytes.view(role), rowCount: rows)
    }

    func variableLengthValues(_ info: ColumnInfo, _ bytes: ColumnBytes) throws -> VariableLengthValues {
        let storage = VariableLengthValues(owner: bytes.region, offsets: bytes.view(.offsets), values: bytes.view(.values),
                                           offsetWidth: info.physicalType.offsetWidth!, rowCount: info.rowCount)
        try checkOnce(info) {
            try checkVariableLengthValues(storage, type: info.physicalType, bytes: bytes, .offsets, .values, info: info)
        }
        return storage
    }

    /// Runs `check`, the checks of column `info` that are made once per column and reader
    /// before its first value is served (Specification.md §9), unless they passed before.
    func checkOnce(_ info: ColumnInfo, _ check: () throws -> Void) throws {
        let checked = memos.checkedOffsets
        guard !checked.withLock({ $0.contains(info.index) }) else { return }
        try check()
        checked.withLock { _ = $0.insert(info.index) }
    }

    /// The once-per-column checks of offsets and values in slots `offsetsRole` and `valuesRole`
    /// (a String or Binary column's, or a dictionary's): offsets from 0 to the values' length,
    /// never decreasing, and for strings UTF-8 (Specification.md §6.1).
    func checkVariableLengthValues(_ storage: VariableLengthValues, type: PhysicalType, bytes: ColumnBytes,
                                   _ offsetsRole: BufferRole, _ valuesRole: BufferRole, info: ColumnInfo) throws {
        let offsets = bytes[offsetsRole]!
        let values = bytes[valuesRole] ?? (0, 0)
        let names = offsetsRole == .offsets ? OffsetNames.rows : OffsetNames.dictionary
        try withExtendedLifetime(bytes.region) {
            try checkOffsets(storage.offsets, width: storage.offsetWidth, count: storage.rowCount,
                             valuesLength: values.length, info: info, names: names,
                             fileOffset: bytes.isFile ? offsets.offset : nil)
            if type.isString {
                try checkUTF8(storage, values: bytes.view(valuesRole), info: info, names: names,
                              fileOffset: bytes.isFile ? values.offset : nil)
            }
        }
    }

    /// How messages name the offsets and the values they index: a column's rows, or a dictionary's entries.
    struct OffsetNames {
        /// `offset` or `dictionary offset`.
        var offset: String
        /// `strings` or `dictionary's strings`.
        var strings: String
        /// `row` or `dictionary entry`.
        var item: String

        /// A String or Binary column's.
        static let rows = OffsetNames(offset: "offset", strings: "strings", item: "row")
        /// A dictionary-encoded column's dictionary's (Specification.md §6.4).
        static let dictionary = OffsetNames(offset: "dictionary offset", strings: "dictionary's strings",
                                            item: "dictionary entry")
    }

    /// Checks that every value of `storage` (a String column's rows or a String dictionary's
    /// entries) is valid UTF-8 (Specification.md §6.1): the values as a whole, and none starting
    /// inside a multi-byte sequence. O(bytes + count).
    private func checkUTF8(_ storage: VariableLengthValues, values: ByteView, info: ColumnInfo, names: OffsetNames,
                           fileOffset: UInt64?) throws {
        guard values.count > 0 else { return }
        let context = ErrorContext(path: path, column: info.name)
        let base = fileOffset ?? 0
        if let bad = UTF8Validation.firstInvalidByte(values) {
            throw context.error(.invalidUTF8, "the \(names.strings) are not valid UTF-8", offset: base + UInt64(bad))
        }
        for row in 0..<storage.rowCount {
            let start = storage.offset(row)
            if start < values.count, UTF8Validation.isContinuation(values.load(UInt8.self, at: start)) {
                throw context.error(.invalidUTF8, "\(names.item) \(row) starts inside a UTF-8 sequence",
                                    offset: base + UInt64(start))
            }
        }
    }

    /// Checks that the `count + 1` offsets start at 0, end at the values' length and never decrease.
    private func checkOffsets(_ offsets: ByteView, width: Int, count: Int, valuesLength: Int, info: ColumnInfo,
                              names: OffsetNames, fileOffset: UInt64?) throws {
        let context = ErrorContext(path: path, column: info.name)
        let where_ = fileOffset == nil ? "decoded \(names.offset)" : names.offset
        let valuesName = names.offset == "offset" ? "values" : "dictionary values"
        let first = VariableLengthValues.load(offsets, width: width, index: 0)
        let last = VariableLengthValues.load(offsets, width: width, index: count)
        guard first == 0 else {
            throw context.error(.badOffsets, "the first \(where_) is not 0", offset: fileOffset, expected: 0, found: first)
        }
        guard last == Int64(valuesLength) else {
            throw context.error(.badOffsets, "the last \(where_) is not the \(valuesName) length",
                                offset: fileOffset.map { $0 + UInt64(count * width) },
                                expected: valuesLength, found: last)
        }
        if let bad = VariableLengthValues.firstDecrease(offsets: offsets, width: width, count: count + 1) {
            throw context.error(.offsetsNotIncreasing, "\(where_) \(bad) is smaller than \(where_) \(bad - 1)",
                                offset: fileOffset.map { $0 + UInt64(bad * width) })
        }
    }
}
