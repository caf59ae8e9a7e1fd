/// A fixed-width column read the same way whether its file stores it plain or dictionary-encoded
/// (Specification.md §6.4): the counterpart of ``AnyStringColumn`` for numbers, dates and
/// timestamps, whose encoding a dataset's shards may each choose (§14.3).
///
/// Made by ``ColFileReader/anyColumn(_:as:)``. Iterating it, or its subscript, gives `Element?`:
/// nil for a null row. Nothing is copied: a plain column's values are read in place as
/// ``FixedWidthColumn`` reads them, an encoded column's through its indices into the dictionary.
public struct AnyFixedWidthColumn<Element: FixedWidthElement>: NullableColumn, Sendable, CustomStringConvertible {
    /// The column's description, as stored (``ColumnInfo/isDictionaryEncoded`` says how).
    public let info: ColumnInfo
    /// The validity bitmap, or nil when the column has no nulls.
    public let validity: ValidityBitmap?
    /// The number of rows.
    public let endIndex: Int
    /// A plain column's values, or an encoded column's dictionary entries.
    @usableFromInline let values: MappedArray<Element>
    /// An encoded column's indices (−1 for a null row), inside the memory `values` keeps alive;
    /// empty for a plain column.
    @usableFromInline let indexBytes: ByteView
    /// An encoded column's index type (Int8, Int16 or Int32); nil for a plain column.
    @usableFromInline let indexType: PhysicalType?

    /// The view of a plain column's `values`.
    init(info: ColumnInfo, validity: ValidityBitmap?, values: MappedArray<Element>) {
        self.info = info
        self.validity = validity
        self.endIndex = info.rowCount
        self.values = values
        self.indexBytes = values.bytes.slice(offset: 0, length: 0)
        self.indexType = nil
    }

    /// The view of an encoded column: its `indices` into the dictionary's `entries`.
    init(info: ColumnInfo, validity: ValidityBitmap?, indices: DictionaryIndices, entries: MappedArray<Element>) {
        precondition(indices.owner === entries.owner, "indices and dictionary in different memory")
        self.info = info
        self.validity = validity
        self.endIndex = info.rowCount
        self.values = entries
        self.indexBytes = indices.bytes
        self.indexType = indices.indexType
    }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { indexType != nil }

    /// The value stored for `row`: for a null row, what a plain column stores (colfile's writer
    /// stores zero), and zero in an encoded one, whose null rows point at no entry. An encoded
    /// row whose index, checked when the view was made, now lies outside the dictionary (the file
    /// was rewritten in place) reads as zero too, and the reader reports
    /// ``ColFileError/Code/fileChanged`` from then on.
    ///
    /// Inlinable, and made of stored views rather than an enum's payloads (whose copies retained
    /// and released the mapping's owner each row), so a loop over it is specialized for `Element`.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Element {
        guard let indexType else { return values[row] }
        precondition(UInt(bitPattern: row) < UInt(endIndex), "row index out of range")
        let entry = withExtendedLifetime(values) { DictionaryIndices.load(indexBytes, indexType, row) }
        guard entry >= 0 else { return .zero }
        guard entry < values.count else {
            values.owner.markDamaged()
            return .zero
        }
        return values[entry]
    }

    /// `AnyFixedWidthColumn<Int32>(name: "day", rows: 3, nulls: 1)`.
    public var description: String { summary }
}
