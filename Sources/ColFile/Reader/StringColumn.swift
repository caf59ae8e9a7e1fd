/// A zero-copy view of a String or LargeString column; each row is decoded to a `String` only when
/// it is read.
///
/// Iterating it, or its subscript, gives `String?`: nil for a null row (whose stored string,
/// ``storedValue(at:)``, is empty when colfile wrote it).
public struct StringColumn: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description.
    public let info: ColumnInfo
    @usableFromInline let storage: VariableLengthValues
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// The number of rows.
    @inlinable public var endIndex: Int { storage.rowCount }

    /// The stored string of `row` (empty for a null row written by colfile).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> String { storage.bytes(row).string }

    /// The stored UTF-8 bytes of `row` (empty for a null row written by colfile), without
    /// decoding or copying them.
    @inlinable public func bytes(at row: Int) -> MappedBytes { storage.bytes(row) }

    /// The length in UTF-8 bytes of `row` (0 for a null row written by colfile), read from the
    /// offsets alone; faster in a loop than `bytes(at:).count`, which makes a view per row.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    /// - Complexity: O(1).
    @inlinable public func byteCount(at row: Int) -> Int { storage.byteCount(row) }

    /// The total length in UTF-8 bytes of the non-null rows in `rows`, read from the offsets and
    /// the validity bitmap alone: what a loop over ``byteCount(at:)`` that skips null rows returns,
    /// many times faster.
    ///
    /// Without nulls the lengths telescope to two offsets; with nulls, a SIMD kernel computes eight
    /// lengths at a time and masks out the null rows with the bitmap.
    ///
    /// - Parameter rows: The rows to add up; every row when omitted.
    /// - Precondition: `rows` lies in `0 ... count`.
    /// - Complexity: O(1) when ``validity`` is nil; otherwise O(`rows.count`), skipping 64 rows at a
    ///   time where they are all null or all valid.
    public func totalByteCount(in rows: Range<Int>? = nil) -> Int {
        storage.totalByteCount(rows ?? 0..<count, validity: validity)
    }

    /// `TYPE(name: "NAME", rows: R, nulls: N)`.
    public var description: String { summary }
}

/// A zero-copy view of a Binary or LargeBinary column.
///
/// Iterating it, or its subscript, gives `MappedBytes?`: nil for a null row.
public struct BinaryColumn: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description.
    public let info: ColumnInfo
    @usableFromInline let storage: VariableLengthValues
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?

    /// The number of rows.
    @inlinable public var endIndex: Int { storage.rowCount }

    /// The stored bytes of `row` (empty for a null row written by colfile).
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> MappedBytes { storage.bytes(row) }

    /// The total length in bytes of the non-null rows in `rows`, read from the offsets and the
    /// validity bitmap alone (see ``StringColumn/totalByteCount(in:)``, which works the same way).
    ///
    /// - Parameter rows: The rows to add up; every row when omitted.
    /// - Precondition: `rows` lies in `0 ... count`.
    /// - Complexity: O(1) when ``validity`` is nil; otherwise O(`rows.count`).
    public func totalByteCount(in rows: Range<Int>? = nil) -> Int {
        storage.totalByteCount(rows ?? 0..<count, validity: validity)
    }

    /// `TYPE(name: "NAME", rows: R, nulls: N)`.
    public var description: String { summary }
}
