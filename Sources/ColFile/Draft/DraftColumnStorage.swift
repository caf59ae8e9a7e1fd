/// The buffers of one draft column in the mapping, shared by the mutable column views: the row
/// checks and the validity bitmap's updates (Specification.md §15.4).
@usableFromInline
struct DraftColumnStorage: Sendable {
    /// Keeps the mapping (and the seal lock) alive while the view lives.
    let owner: DraftMapping
    /// The column's name.
    @usableFromInline let name: String
    /// The number of rows.
    @usableFromInline let rowCount: Int
    /// The values buffer (a bitmap for Bool).
    @usableFromInline let values: MutableByteView
    /// The validity bitmap, for a column whose rows start null.
    @usableFromInline let validity: MutableByteView?

    /// Stops the program unless `row` is a row of the column (caller misuse, not a bad file).
    @inlinable func check(_ row: Int) {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row \(row) out of range 0..<\(rowCount) of column '\(name)'")
    }

    /// Stops the program unless `rows` lie in the column.
    @inlinable func check(_ rows: Range<Int>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount,
                     "rows \(rows) out of range 0..<\(rowCount) of column '\(name)'")
    }

    /// Whether `row` is valid (always, for a column without validity).
    @inlinable func isValid(_ row: Int) -> Bool {
        check(row)
        return validity?.bit(row) ?? true
    }

    /// Marks `rows` valid or null, atomically where a bitmap byte is shared with other rows.
    ///
    /// - Precondition: the column is nullable, or `valid` is true.
    @inlinable func setValidity(_ rows: Range<Int>, valid: Bool) {
        check(rows)
        guard let validity else {
            precondition(valid, "column '\(name)' starts zero and has no nulls: its rows cannot be set null")
            return
        }
        if rows.count == 1 {
            validity.setBit(rows.lowerBound, to: valid)
        } else {
            validity.setBits(rows, to: valid)
        }
    }
}
