/// A zero-copy view of a String or LargeString column; each row is decoded to a `String` only when
/// it is read.
public struct StringColumn: NullableColumn, Sendable {
    /// The column's description.
    public let info: ColumnInfo
    let storage: VariableLengthValues
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { storage.rowCount }

    /// The string of `row` (empty for a null row written by colfile).
    public subscript(row: Int) -> String { storage.bytes(row).string }

    /// The UTF-8 bytes of `row`, without decoding or copying them.
    public func bytes(at row: Int) -> MappedBytes { storage.bytes(row) }

    /// The length in UTF-8 bytes of `row` (0 for a null row written by colfile), read from the
    /// offsets alone; faster in a loop than `bytes(at:).count`, which makes a view per row.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    public func byteCount(at row: Int) -> Int { storage.byteCount(row) }
}

/// A zero-copy view of a Binary or LargeBinary column.
public struct BinaryColumn: NullableColumn, Sendable {
    /// The column's description.
    public let info: ColumnInfo
    let storage: VariableLengthValues
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// Always 0.
    public var startIndex: Int { 0 }
    /// The number of rows.
    public var endIndex: Int { storage.rowCount }

    /// The bytes of `row` (empty for a null row written by colfile).
    public subscript(row: Int) -> MappedBytes { storage.bytes(row) }
}
