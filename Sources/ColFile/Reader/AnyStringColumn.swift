/// A String or LargeString column read the same way whether its file stores it plain or
/// dictionary-encoded (Specification.md §6.4): what a reader of a dataset wants, where each shard
/// chooses its own encoding (§14.3).
///
/// Made by ``ColFileReader/anyStringColumn(_:)``. Iterating it, or its subscript, gives
/// `String?`: nil for a null row. Nothing is copied: a plain column's strings are read in place as
/// ``StringColumn`` reads them, an encoded column's through its indices into the dictionary as
/// ``DictionaryColumn`` reads them.
///
/// ```swift
/// for index in dataset.shards.indices {
///     let labels = try dataset.shard(at: index).anyStringColumn("label")
///     print(labels.isDictionaryEncoded, labels.first ?? nil)
/// }
/// ```
public struct AnyStringColumn: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description, as stored (``ColumnInfo/isDictionaryEncoded`` says how).
    public let info: ColumnInfo
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?
    @usableFromInline let rows: VariableLengthRows

    init(info: ColumnInfo, validity: ValidityBitmap?, rows: VariableLengthRows) {
        self.info = info
        self.validity = validity
        self.rows = rows
    }

    /// The number of rows.
    @inlinable public var endIndex: Int { rows.rowCount }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { info.isDictionaryEncoded }

    /// The string of `row`; empty for a null row.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> String { rows.bytes(row).string }

    /// The UTF-8 bytes of `row` (empty for a null row), without decoding or copying them.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func bytes(at row: Int) -> MappedBytes { rows.bytes(row) }

    /// The length in UTF-8 bytes of `row` (0 for a null row), read from the offsets alone.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    @inlinable public func byteCount(at row: Int) -> Int { rows.byteCount(row) }

    /// `AnyStringColumn(name: "label", rows: 3, nulls: 1)`.
    public var description: String { summary }
}

/// A Binary or LargeBinary column read the same way whether its file stores it plain or
/// dictionary-encoded: the counterpart of ``AnyStringColumn`` for byte strings.
///
/// Made by ``ColFileReader/anyBinaryColumn(_:)``. Iterating it, or its subscript, gives
/// `MappedBytes?`: nil for a null row.
public struct AnyBinaryColumn: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description, as stored (``ColumnInfo/isDictionaryEncoded`` says how).
    public let info: ColumnInfo
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?
    @usableFromInline let rows: VariableLengthRows

    init(info: ColumnInfo, validity: ValidityBitmap?, rows: VariableLengthRows) {
        self.info = info
        self.validity = validity
        self.rows = rows
    }

    /// The number of rows.
    @inlinable public var endIndex: Int { rows.rowCount }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { info.isDictionaryEncoded }

    /// The bytes of `row` (empty for a null row), without copying them.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> MappedBytes { rows.bytes(row) }

    /// The length in bytes of `row` (0 for a null row), read from the offsets alone.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    @inlinable public func byteCount(at row: Int) -> Int { rows.byteCount(row) }

    /// `AnyBinaryColumn(name: "payload", rows: 3, nulls: 1)`.
    public var description: String { summary }
}

/// The rows of a String or Binary column, whichever way they are stored: offsets and values
/// (Specification.md §6.1), or indices into a dictionary of them (§6.4), both checked by the
/// reader before the view is made. Stored views rather than an enum's payloads, whose copies
/// retained and released the mapping's owner each row (BENCHMARKS.md, "Session 22").
@usableFromInline
struct VariableLengthRows: Sendable {
    /// A plain column's offsets and values, or an encoded column's dictionary entries.
    @usableFromInline let values: VariableLengthValues
    /// An encoded column's indices (−1 for a null row), inside the memory `values` keeps alive;
    /// empty for a plain column.
    @usableFromInline let indexBytes: ByteView
    /// An encoded column's index type (Int8, Int16 or Int32); nil for a plain column.
    @usableFromInline let indexType: PhysicalType?
    /// The number of rows.
    @usableFromInline let rowCount: Int

    /// The rows of a plain column.
    init(plain values: VariableLengthValues) {
        self.values = values
        self.indexBytes = values.values.slice(offset: 0, length: 0)
        self.indexType = nil
        self.rowCount = values.rowCount
    }

    /// The rows of an encoded column: its `indices` into the dictionary's `entries`.
    init(indices: DictionaryIndices, entries: VariableLengthValues) {
        precondition(indices.owner === entries.owner, "indices and dictionary in different memory")
        self.values = entries
        self.indexBytes = indices.bytes
        self.indexType = indices.indexType
        self.rowCount = indices.endIndex
    }

    /// The entry of `row` in ``values``: the row itself for a plain column; for an encoded one its
    /// index, or nil for a null row and for an index that lies outside the dictionary although it
    /// was checked (the file changed: the mapping is then marked damaged).
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable func entry(_ row: Int) -> Int? {
        guard let indexType else { return row }
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        let entry = withExtendedLifetime(values.owner) { DictionaryIndices.load(indexBytes, indexType, row) }
        guard entry >= 0 else { return nil }
        guard entry < values.rowCount else {
            values.owner.markDamaged()
            return nil
        }
        return entry
    }

    /// The bytes of `row`: empty for a null row of an encoded column.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable func bytes(_ row: Int) -> MappedBytes {
        guard let entry = entry(row) else {
            return MappedBytes(owner: values.owner, bytes: values.values.slice(offset: 0, length: 0))
        }
        return values.bytes(entry)
    }

    /// The length of `row` in bytes: 0 for a null row of an encoded column.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable func byteCount(_ row: Int) -> Int {
        guard let entry = entry(row) else { return 0 }
        return values.byteCount(entry)
    }
}
