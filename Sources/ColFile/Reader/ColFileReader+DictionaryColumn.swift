extension ColFileReader {
    /// A zero-copy view of the dictionary-encoded column `name` (Specification.md §6.4): its
    /// indices, its dictionary, and each row's value through them. A compressed column is decoded
    /// first (all five buffers), once per machine with the shared cache (see ``ReaderOptions``).
    ///
    /// The first call for a column checks, in O(rows + dictionary bytes) and once per column and
    /// reader, that every valid row's index lies in the dictionary and every null row's is −1, and
    /// for a String or Binary dictionary its offsets (and UTF-8 for strings), before any value is
    /// handed out.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``; ``ColFileError/Code/typeMismatch`` when the
    ///   column is not dictionary-encoded; ``ColFileError/Code/badDictionaryIndex``,
    ///   ``ColFileError/Code/badOffsets``, ``ColFileError/Code/offsetsNotIncreasing``,
    ///   ``ColFileError/Code/invalidUTF8``; or a decoding error.
    public func dictionaryColumn(_ name: String) throws -> DictionaryColumn {
        try intact {
            let info = try readableInfo(name)
            guard let encoding = info.dictionary else {
                throw ColFileError(.typeMismatch, path: path, column: info.name,
                                   message: "the column is not dictionary-encoded", expected: "a dictionary-encoded column",
                                   found: info.typeDescription)
            }
            return try dictionaryView(info, encoding, try columnBytes(info))
        }
    }

    /// The view of dictionary-encoded column `info` over its (decoded) buffers `bytes`, after the
    /// once-per-column checks.
    func dictionaryView(_ info: ColumnInfo, _ encoding: DictionaryEncoding, _ bytes: ColumnBytes) throws
        -> DictionaryColumn {
        let validity = bitmap(bytes, .validity, rows: info.rowCount)
        let indices = DictionaryIndices(info: info, indexType: encoding.indexType, entryCount: encoding.entryCount,
                                        owner: bytes.region,
                                        bytes: bytes.view(.values), validity: validity)
        let entries: DictionaryColumn.Entries
        var variable: VariableLengthValues?
        if let width = encoding.valueType.offsetWidth {
            let storage = VariableLengthValues(owner: bytes.region, offsets: bytes.view(.dictionaryOffsets),
                                               values: bytes.view(.dictionaryValues), offsetWidth: width,
                                               rowCount: encoding.entryCount)
            variable = storage
            entries = DictionaryColumn.Entries(valueType: encoding.valueType, variable: storage)
        } else {
            entries = DictionaryColumn.Entries(valueType: encoding.valueType, count: encoding.entryCount,
                                               owner: bytes.region, values: bytes.view(.dictionaryValues))
        }
        try checkOnce(info) {
            if let variable {
                try checkVariableLengthValues(variable, type: encoding.valueType, bytes: bytes, .dictionaryOffsets,
                                              .dictionaryValues, info: info)
            }
            try checkIndices(info, encoding, bytes)
        }
        return DictionaryColumn(info: info, encoding: encoding, indices: indices, dictionary: entries)
    }

    /// Checks every row's index against the dictionary (Specification.md §6.4) [`badDictionaryIndex`].
    func checkIndices(_ info: ColumnInfo, _ encoding: DictionaryEncoding, _ bytes: ColumnBytes) throws {
        let bad = withExtendedLifetime(bytes.region) { () -> (row: Int, index: Int, isNull: Bool)? in
            let validity = bytes[.validity] == nil ? nil
                : ValidityMask(bits: bytes.view(.validity), rowCount: info.rowCount)
            return DictionaryIndexCheck.firstBadRow(bytes.view(.values), type: encoding.indexType,
                                                    rowCount: info.rowCount, entryCount: encoding.entryCount,
                                                    validity: validity)
                .map { bad in (bad.row, bad.index, validity.map { !$0.isValid(bad.row) } ?? false) }
        }
        guard let bad else { return }
        let offset = bytes.isFile ? bytes[.values].map { $0.offset + UInt64(bad.row * encoding.indexType.elementSize!) } : nil
        let isNull = bad.isNull
        let context = ErrorContext(path: path, column: info.name)
        if isNull {
            throw context.error(.badDictionaryIndex, "null row \(bad.row) has an index other than -1", offset: offset,
                                expected: -1, found: bad.index)
        }
        throw context.error(.badDictionaryIndex, "row \(bad.row) has an index outside the dictionary", offset: offset,
                            expected: encoding.entryCount == 0 ? "none: the dictionary is empty" : "0 to \(encoding.entryCount - 1)",
                            found: bad.index)
    }
}
