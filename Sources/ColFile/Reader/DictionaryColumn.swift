/// A zero-copy view of a dictionary-encoded column (Specification.md §6.4): each row's index
/// into the column's dictionary, the dictionary itself, and each row's value read through them.
///
/// Made by ``ColFileReader/dictionaryColumn(_:)``, which checks once per column, before the view
/// is handed out, that every valid row's index lies in the dictionary and every null row's is −1,
/// and (for a String or Binary dictionary) the dictionary's offsets and UTF-8. Nothing is copied:
/// the indices and the dictionary are read in place from the mapping (or from the decoded copy of
/// a compressed column), as Arrow's `DictionaryArray` reads them.
///
/// ```swift
/// let carrier = try reader.dictionaryColumn("carrier")
/// carrier.dictionary.count            // 16 entries
/// carrier.index(at: 0)                // 3, or nil for a null row
/// carrier.string(at: 0)               // "UA"
/// ```
///
/// The accessors of a row's value must match the dictionary's value type
/// (``DictionaryEncoding/valueType``): ``string(at:)`` for String and LargeString,
/// ``bytes(at:)`` for those and Binary and LargeBinary, ``value(at:as:)`` for fixed-width types.
/// Asking for another kind is a programming error and stops the program.
public struct DictionaryColumn: Sendable, CustomStringConvertible {
    /// The column's description; ``ColumnInfo/dictionary`` is its encoding.
    public let info: ColumnInfo
    /// The index type, value type and number of entries.
    public let encoding: DictionaryEncoding
    /// Each row's index into ``dictionary`` (nil for a null row).
    public let indices: DictionaryIndices
    /// The dictionary: ``DictionaryEncoding/entryCount`` values, stored once.
    public let dictionary: Entries

    init(info: ColumnInfo, encoding: DictionaryEncoding, indices: DictionaryIndices, dictionary: Entries) {
        self.info = info
        self.encoding = encoding
        self.indices = indices
        self.dictionary = dictionary
    }

    /// The number of rows.
    public var count: Int { indices.count }

    /// The validity bitmap, or nil when the column has no nulls.
    public var validity: ValidityBitmap? { indices.validity }

    /// Whether `row` is null.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public func isNull(_ row: Int) -> Bool { indices.isNull(row) }

    /// The dictionary index of `row`, in `0 ..< dictionary.count`, or nil when the row is null.
    ///
    /// An index that was checked when the view was made but now lies outside the dictionary (the
    /// file was rewritten in place) reads as nil, and the reader's checks report
    /// ``ColFileError/Code/fileChanged`` from then on, as for a string's offsets.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func index(at row: Int) -> Int? { indices[row] }

    /// The string of `row`, or nil when it is null (or its index changed: ``index(at:)``).
    ///
    /// - Precondition: `row` is in `0 ..< count`, and the dictionary holds String or LargeString values.
    public func string(at row: Int) -> String? { index(at: row).map(dictionary.string(at:)) }

    /// The bytes of `row` (for a String dictionary, its UTF-8), or nil when it is null (or its
    /// index changed: ``index(at:)``).
    ///
    /// - Precondition: `row` is in `0 ..< count`, and the dictionary holds String, LargeString,
    ///   Binary or LargeBinary values.
    public func bytes(at row: Int) -> MappedBytes? { index(at: row).map(dictionary.bytes(at:)) }

    /// The value of `row`, or nil when it is null (or its index changed: ``index(at:)``).
    ///
    /// - Precondition: `row` is in `0 ..< count`, and `Element` is the dictionary's value type
    ///   (`Int64` for a dictionary of timestamps, `Int32` for one of dates).
    @inlinable
    public func value<Element: FixedWidthElement>(at row: Int, as type: Element.Type = Element.self) -> Element? {
        index(at: row).map { dictionary.value(at: $0, as: type) }
    }

    /// `DictionaryColumn(name: "carrier", rows: 3, nulls: 1, entries: 16, String, Int8 indices)`.
    public var description: String {
        "DictionaryColumn(name: \"\(info.name)\", rows: \(count), nulls: \(info.nullCount), "
            + "entries: \(encoding.entryCount), \(encoding.valueType), \(encoding.indexType) indices)"
    }

    /// The values of a dictionary-encoded column's dictionary, read in place: strings or byte
    /// strings through their offsets, or fixed-width values. The dictionary has no nulls
    /// (Specification.md §6.4: a null is a null row).
    public struct Entries: Sendable, CustomStringConvertible {
        /// The type of the values.
        public let valueType: PhysicalType
        /// The number of entries.
        public let count: Int
        @usableFromInline let owner: MappedRegion
        private let variable: VariableLengthValues?
        @usableFromInline let fixed: ByteView

        /// Entries held as offsets and bytes (String and Binary values), checked by the reader.
        init(valueType: PhysicalType, variable: VariableLengthValues) {
            self.valueType = valueType
            self.count = variable.rowCount
            self.owner = variable.owner
            self.variable = variable
            self.fixed = variable.values.slice(offset: 0, length: 0)
        }

        /// `count` fixed-width entries of `valueType` at the start of `values`, inside `owner`.
        init(valueType: PhysicalType, count: Int, owner: MappedRegion, values: ByteView) {
            precondition(count * valueType.elementSize! <= values.count, "dictionary values outside their bytes")
            self.valueType = valueType
            self.count = count
            self.owner = owner
            self.variable = nil
            self.fixed = values
        }

        /// The offsets and values of String or Binary entries.
        ///
        /// - Precondition: the values are String, LargeString, Binary or LargeBinary.
        var variableLengthValues: VariableLengthValues {
            precondition(variable != nil, "variableLengthValues of a dictionary of \(valueType)")
            return variable!
        }

        /// The string of entry `entry`.
        ///
        /// - Precondition: `entry` is in `0 ..< count`; the values are String or LargeString.
        public func string(at entry: Int) -> String {
            precondition(valueType.isString, "string(at:) of a dictionary of \(valueType)")
            return variable!.bytes(entry).string
        }

        /// The bytes of entry `entry`, without copying them.
        ///
        /// - Precondition: `entry` is in `0 ..< count`; the values are String, LargeString, Binary
        ///   or LargeBinary.
        public func bytes(at entry: Int) -> MappedBytes {
            precondition(variable != nil, "bytes(at:) of a dictionary of \(valueType)")
            return variable!.bytes(entry)
        }

        /// The length in bytes of entry `entry`, from the offsets alone.
        ///
        /// - Precondition: as ``bytes(at:)``.
        public func byteCount(at entry: Int) -> Int {
            precondition(variable != nil, "byteCount(at:) of a dictionary of \(valueType)")
            return variable!.byteCount(entry)
        }

        /// The value of entry `entry`.
        ///
        /// - Precondition: `entry` is in `0 ..< count`; `Element` is the dictionary's value type.
        @inlinable
        public func value<Element: FixedWidthElement>(at entry: Int, as type: Element.Type = Element.self) -> Element {
            precondition(Element.physicalType == valueType, "value(at:as: \(Element.self)) of a dictionary of \(valueType)")
            precondition(UInt(bitPattern: entry) < UInt(count), "dictionary entry out of range")
            return withExtendedLifetime(owner) { fixed.element(entry, as: Element.self) }
        }

        /// The entries as a zero-copy array of fixed-width values.
        ///
        /// - Precondition: `Element` is the dictionary's value type.
        public func values<Element: FixedWidthElement>(as type: Element.Type = Element.self) -> MappedArray<Element> {
            precondition(Element.physicalType == valueType, "values(as: \(Element.self)) of a dictionary of \(valueType)")
            return MappedArray(owner: owner, bytes: fixed, count: count)
        }

        /// `DictionaryColumn.Entries(String, count: 16)`.
        public var description: String { "DictionaryColumn.Entries(\(valueType), count: \(count))" }
    }
}

/// The indices of a dictionary-encoded column, one per row, read in place (Int8, Int16 or Int32,
/// Specification.md §6.4). Iterating it, or its subscript, gives `Int?`: nil for a null row.
/// ``storedValue(at:)`` gives the stored index, −1 for a null row (the format's rule, so the
/// indices serve as pandas `Categorical` codes as they are).
///
/// The reader checked every index before handing the view out. An index that lies outside the
/// dictionary when it is read (the file was rewritten in place since) reads as −1 from
/// ``storedValue(at:)`` and nil from the subscript, and the reader's checks report
/// ``ColFileError/Code/fileChanged`` from then on, so an index it gives always lies in the
/// dictionary. ``storedIndices(as:)`` hands out the bytes as they are, without that check.
public struct DictionaryIndices: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description.
    public let info: ColumnInfo
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?
    /// The type of the stored indices: Int8, Int16 or Int32.
    public let indexType: PhysicalType
    @usableFromInline let owner: MappedRegion
    @usableFromInline let bytes: ByteView
    /// The number of rows.
    public let endIndex: Int
    /// The number of entries in the dictionary.
    public let entryCount: Int

    /// The `rowCount` indices of `indexType` into `entryCount` entries at the start of `bytes`,
    /// inside `owner`, which the reader has checked.
    init(info: ColumnInfo, indexType: PhysicalType, entryCount: Int, owner: MappedRegion, bytes: ByteView,
         validity: ValidityBitmap?) {
        precondition(info.rowCount * indexType.elementSize! <= bytes.count, "indices outside their bytes")
        self.info = info
        self.indexType = indexType
        self.entryCount = entryCount
        self.owner = owner
        self.bytes = bytes
        self.validity = validity
        self.endIndex = info.rowCount
    }

    /// The stored index of `row`: in `0 ..< entryCount` for a valid row, −1 for a null row (and for
    /// an index found outside the dictionary, which marks the file changed).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Int {
        let index = unchecked(row)
        // -1 ... entryCount - 1 in one comparison.
        if _fastPath(UInt(bitPattern: index &+ 1) <= UInt(entryCount)) { return index }
        markChanged()
        return -1
    }

    /// The dictionary index of `row`, in `0 ..< entryCount`, or nil when the row is null (or its
    /// index no longer lies in the dictionary: the file changed, which the reader then reports).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public subscript(row: Int) -> Int? {
        if isNull(row) { return nil }
        let index = unchecked(row)
        if _fastPath(UInt(bitPattern: index) < UInt(entryCount)) { return index }
        markChanged()
        return nil
    }

    /// The index stored for `row`, as stored.
    @inlinable func unchecked(_ row: Int) -> Int {
        precondition(UInt(bitPattern: row) < UInt(endIndex), "row index out of range")
        return withExtendedLifetime(owner) { Self.load(bytes, indexType, row) }
    }

    /// Records that an index checked when the view was made now lies outside the dictionary: the
    /// file was rewritten in place. Out of line, so that the row loops stay small.
    @usableFromInline @inline(never)
    func markChanged() { owner.markDamaged() }

    /// The stored indices as a zero-copy array of `Index` (−1 for null rows).
    ///
    /// - Precondition: `Index` is ``indexType``'s Swift type (`Int8`, `Int16` or `Int32`).
    public func storedIndices<Index: FixedWidthElement & FixedWidthInteger>(as type: Index.Type = Index.self)
        -> MappedArray<Index> {
        precondition(Index.physicalType == indexType, "storedIndices(as: \(Index.self)) of \(indexType) indices")
        return MappedArray(owner: owner, bytes: bytes, count: endIndex)
    }

    /// Index `row` of indices of `type` in `bytes`.
    @inlinable static func load(_ bytes: ByteView, _ type: PhysicalType, _ row: Int) -> Int {
        switch type {
        case .int8: Int(bytes.element(row, as: Int8.self))
        case .int16: Int(bytes.element(row, as: Int16.self))
        default: Int(bytes.element(row, as: Int32.self))
        }
    }

    /// `DictionaryIndices(name: "carrier", rows: 3, nulls: 1)`.
    public var description: String { summary }
}
