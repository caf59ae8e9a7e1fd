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
    let rows: VariableLengthRows

    init(info: ColumnInfo, validity: ValidityBitmap?, rows: VariableLengthRows) {
        self.info = info
        self.validity = validity
        self.rows = rows
    }

    /// The number of rows.
    public var endIndex: Int { info.rowCount }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { info.isDictionaryEncoded }

    /// The string of `row`; empty for a null row.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public func storedValue(at row: Int) -> String { rows.bytes(row).string }

    /// The UTF-8 bytes of `row` (empty for a null row), without decoding or copying them.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public func bytes(at row: Int) -> MappedBytes { rows.bytes(row) }

    /// The length in UTF-8 bytes of `row` (0 for a null row), read from the offsets alone.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    public func byteCount(at row: Int) -> Int { rows.byteCount(row) }

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
    let rows: VariableLengthRows

    init(info: ColumnInfo, validity: ValidityBitmap?, rows: VariableLengthRows) {
        self.info = info
        self.validity = validity
        self.rows = rows
    }

    /// The number of rows.
    public var endIndex: Int { info.rowCount }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { info.isDictionaryEncoded }

    /// The bytes of `row` (empty for a null row), without copying them.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    public func storedValue(at row: Int) -> MappedBytes { rows.bytes(row) }

    /// The length in bytes of `row` (0 for a null row), read from the offsets alone.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    public func byteCount(at row: Int) -> Int { rows.byteCount(row) }

    /// `AnyBinaryColumn(name: "payload", rows: 3, nulls: 1)`.
    public var description: String { summary }
}

/// The rows of a String or Binary column, whichever way they are stored: offsets and values
/// (Specification.md §6.1), or indices into a dictionary of them (§6.4), both checked by the
/// reader before the view is made.
enum VariableLengthRows: Sendable {
    /// A plain column's offsets and values.
    case plain(VariableLengthValues)
    /// An encoded column's indices (−1 for a null row) and its dictionary's entries.
    case encoded(DictionaryIndices, VariableLengthValues)

    /// The bytes of `row`: empty for a null row of an encoded column.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    func bytes(_ row: Int) -> MappedBytes {
        switch self {
        case .plain(let values):
            return values.bytes(row)
        case .encoded(let indices, let entries):
            let entry = indices.storedValue(at: row)
            guard entry >= 0 else { return MappedBytes(owner: entries.owner, bytes: entries.values.slice(offset: 0, length: 0)) }
            // An index checked at open that now lies outside the dictionary: the file changed.
            guard entry < entries.rowCount else { return entries.bytesOfAChangedFile() }
            return entries.bytes(entry)
        }
    }

    /// The length of `row` in bytes: 0 for a null row of an encoded column.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    func byteCount(_ row: Int) -> Int {
        switch self {
        case .plain(let values):
            return values.byteCount(row)
        case .encoded(let indices, let entries):
            let entry = indices.storedValue(at: row)
            guard entry >= 0 && entry < entries.rowCount else { return 0 }
            return entries.byteCount(entry)
        }
    }
}
