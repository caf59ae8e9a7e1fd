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
    @usableFromInline let storage: Storage

    /// A plain column's values, or an encoded column's indices (−1 for a null row) and entries.
    @usableFromInline enum Storage: Sendable {
        case plain(MappedArray<Element>)
        case encoded(DictionaryIndices, MappedArray<Element>)
    }

    init(info: ColumnInfo, validity: ValidityBitmap?, storage: Storage) {
        self.info = info
        self.validity = validity
        self.storage = storage
    }

    /// The number of rows.
    @inlinable public var endIndex: Int { info.rowCount }

    /// Whether the file stores the column dictionary-encoded.
    public var isDictionaryEncoded: Bool { info.isDictionaryEncoded }

    /// The value stored for `row`: for a null row, what a plain column stores (colfile's writer
    /// stores zero), and zero in an encoded one, whose null rows point at no entry. An encoded
    /// row whose index, checked when the view was made, now lies outside the dictionary (the file
    /// was rewritten in place) reads as zero too, and the reader reports
    /// ``ColFileError/Code/fileChanged`` from then on.
    ///
    /// - Precondition: `row` is in `0 ..< count`.
    @inlinable public func storedValue(at row: Int) -> Element {
        switch storage {
        case .plain(let values):
            return values[row]
        case .encoded(let indices, let entries):
            let entry = indices.storedValue(at: row)
            guard entry >= 0 else { return .zero }
            guard entry < entries.count else {
                entries.owner.markDamaged()
                return .zero
            }
            return entries[entry]
        }
    }

    /// `AnyFixedWidthColumn<Int32>(name: "day", rows: 3, nulls: 1)`.
    public var description: String { summary }
}
