extension ColFileWriter {
    /// Adds a dictionary-encoded column (Specification.md §6.4, format 1.2): each row an index
    /// into `dictionary`, stored once. It reads zero-copy as an Arrow `DictionaryArray` or a
    /// pandas `Categorical`, and takes a byte or two per row where a plain column of the same
    /// strings takes their lengths and 4 bytes of offset.
    ///
    /// - Parameters:
    ///   - name: The column's name, unique in the file.
    ///   - indices: One index into `dictionary` per row; nil for a null row (stored as −1).
    ///   - dictionary: The values the indices point at, distinct and without nulls.
    ///   - indexType: Int8, Int16 or Int32; by default the narrowest that holds `dictionary.count`
    ///     entries (128 for Int8, 32,768 for Int16).
    ///   - logicalType: `.timestamp` for a dictionary of `Int64`, `.date` for one of `Int32`.
    ///   - metadata: The column's key/value metadata.
    /// - Throws: ``ColFileError/Code/invalidArgument`` for an index outside the dictionary, an
    ///   index type that is not Int8, Int16 or Int32 or cannot address the dictionary, a Bool
    ///   dictionary, a bad name, logical type or row count; `io` errors.
    public func addDictionaryColumn(
        _ name: String, indices: [Int?], dictionary: DictionaryValues, indexType: PhysicalType? = nil,
        logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) throws {
        let (declaration, encoding) = try dictionaryDeclaration(name, dictionary: dictionary, indexType: indexType,
                                                                logicalType: logicalType, metadata: metadata)
        if let row = indices.firstIndex(where: { $0.map { !(0..<dictionary.count).contains($0) } ?? false }) {
            throw Self.indexOutsideDictionary(indices[row]!, row: row, dictionary, context.about(column: name))
        }
        let validity = indices.contains(nil) ? indices.map { $0 != nil } : nil
        func write<Index: FixedWidthInteger>(_ type: Index.Type) throws {
            // A null row's index is −1 (§6.4).
            let stored = indices.map { Index(truncatingIfNeeded: $0 ?? -1).littleEndian }
            try unsafe stored.withUnsafeBytes {
                try unsafe writeWholeColumn(declaration, rows: indices.count, validity: validity, offsets: nil,
                                            values: $0, dictionary: (encoding, dictionary))
            }
        }
        switch encoding.indexType {
        case .int8: try write(Int8.self)
        case .int16: try write(Int16.self)
        default: try write(Int32.self)
        }
    }

    /// Starts a dictionary-encoded column (Specification.md §6.4) whose dictionary is known up
    /// front and whose rows' indices are appended piece by piece, with bounded memory. (A String
    /// or Binary column whose dictionary is built from its values as they come is
    /// ``streamStringColumn(_:dictionary:metadata:)`` with a ``DictionaryPolicy``.)
    ///
    /// - Parameters: as ``addDictionaryColumn(_:indices:dictionary:indexType:logicalType:metadata:)``.
    /// - Throws: as that method, for the dictionary and index type.
    public func streamDictionaryColumn(
        _ name: String, dictionary: DictionaryValues, indexType: PhysicalType? = nil,
        logicalType: LogicalType = .none, metadata: [String: String] = [:]
    ) throws -> DictionaryColumnStream {
        let (declaration, encoding) = try dictionaryDeclaration(name, dictionary: dictionary, indexType: indexType,
                                                                logicalType: logicalType, metadata: metadata)
        return DictionaryColumnStream(core: try openStream(declaration, givenDictionary: (encoding, dictionary)),
                                      dictionary: dictionary, encoding: encoding)
    }

    /// The declaration and encoding of a dictionary-encoded column, checked.
    private func dictionaryDeclaration(
        _ name: String, dictionary: DictionaryValues, indexType: PhysicalType?, logicalType: LogicalType,
        metadata: [String: String]
    ) throws -> (ColumnDeclaration, DictionaryEncoding) {
        let context = self.context.about(column: name)
        guard dictionary.valueType.canBeDictionaryValue else {
            throw context.error(.invalidArgument, "a dictionary cannot hold \(dictionary.valueType) values")
        }
        guard let indexType = indexType ?? DictionaryEncoding.narrowestIndexType(forEntryCount: dictionary.count),
              indexType.canBeDictionaryIndex else {
            throw context.error(.invalidArgument,
                                "dictionary indices are Int8, Int16 or Int32, for at most \(Int32.max) entries")
        }
        let maxEntries = DictionaryEncoding.maxEntryCount(indexType: indexType)
        guard dictionary.count <= maxEntries else {
            throw context.error(.invalidArgument, "\(indexType) indices address at most \(maxEntries) entries",
                                expected: "at most \(maxEntries)", found: dictionary.count)
        }
        let declaration = ColumnDeclaration(name: name, physicalType: .dictionary, logicalType: logicalType, shape: [],
                                            metadata: metadata, dictionaryValueType: dictionary.valueType)
        return (declaration, DictionaryEncoding(indexType: indexType, valueType: dictionary.valueType,
                                                entryCount: dictionary.count))
    }

    /// The error for `index`, of row `row`, outside `dictionary`.
    static func indexOutsideDictionary(_ index: Int, row: Int, _ dictionary: DictionaryValues,
                                       _ context: ErrorContext) -> ColFileError {
        context.error(.invalidArgument, "the index of row \(row) is outside the dictionary",
                      expected: dictionary.count == 0 ? "none: the dictionary is empty" : "0 to \(dictionary.count - 1)",
                      found: index)
    }

    /// Adds a String column dictionary-encoded (Specification.md §6.4): the distinct strings of
    /// `values` in the order they first appear, each row an index into them (the order of
    /// pyarrow's `dictionary_encode` and pandas' `factorize`).
    ///
    /// - Parameters:
    ///   - values: One string per row; nil for a null row.
    /// - Throws: as ``addDictionaryColumn(_:indices:dictionary:indexType:logicalType:metadata:)``.
    public func addDictionaryColumn(_ name: String, encoding values: [String?], metadata: [String: String] = [:])
        throws {
        // Keyed by bytes: Swift's String equality would merge canonically equivalent strings
        // ("é" and "e\u{301}"), which are distinct values in the file.
        var entries: [[UInt8]: Int] = [:]
        var dictionary: [String] = []
        let indices = values.map { value -> Int? in
            guard let value else { return nil }
            let key = Array(value.utf8)
            if let index = entries[key] { return index }
            entries[key] = dictionary.count
            dictionary.append(value)
            return dictionary.count - 1
        }
        try addDictionaryColumn(name, indices: indices, dictionary: .strings(dictionary), metadata: metadata)
    }
}
