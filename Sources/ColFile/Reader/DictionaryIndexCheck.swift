/// The check of a dictionary-encoded column's indices (Specification.md §6.4): a valid row's
/// index lies in `[0, N)`, a null row's is −1. Made once per column, before its first value is
/// served: O(rows), with runs of 64 valid rows (or a column without nulls) reduced to a minimum
/// and a maximum, which the compiler vectorizes.
enum DictionaryIndexCheck {
    /// The first row whose index breaks the rule, with that index; nil when every row keeps it.
    ///
    /// - Parameters:
    ///   - indices: The stored indices (`rowCount` values of `type`: Int8, Int16 or Int32).
    ///   - entryCount: The dictionary's length N.
    ///   - validity: The validity bitmap, when the column has one; its memory stays alive meanwhile.
    static func firstBadRow(_ indices: ByteView, type: PhysicalType, rowCount: Int, entryCount: Int,
                            validity: ValidityMask?) -> (row: Int, index: Int)? {
        switch type {
        case .int8: unsafe indices.withUnsafeElements(Int8.self, count: rowCount) {
            unsafe firstBadRow($0, entryCount: entryCount, validity: validity)
        }
        case .int16: unsafe indices.withUnsafeElements(Int16.self, count: rowCount) {
            unsafe firstBadRow($0, entryCount: entryCount, validity: validity)
        }
        default: unsafe indices.withUnsafeElements(Int32.self, count: rowCount) {
            unsafe firstBadRow($0, entryCount: entryCount, validity: validity)
        }
        }
    }

    private static func firstBadRow<Index: FixedWidthInteger>(
        _ indices: UnsafeBufferPointer<Index>, entryCount: Int, validity: ValidityMask?
    ) -> (row: Int, index: Int)? {
        func isGood(_ row: Int) -> Bool {
            let index = Int(unsafe indices[row])
            return validity?.isValid(row) ?? true ? (index >= 0 && index < entryCount) : index == -1
        }
        func inRange(_ rows: Range<Int>) -> Bool {
            var low = Index.max
            var high = Index.min
            for row in rows {
                let index = unsafe indices[row]
                low = Swift.min(low, index)
                high = Swift.max(high, index)
            }
            return rows.isEmpty || (low >= 0 && Int(high) < entryCount)
        }
        func firstBad(_ rows: Range<Int>) -> (row: Int, index: Int)? {
            rows.first { !isGood($0) }.map { ($0, Int(unsafe indices[$0])) }
        }
        guard let validity else {
            return inRange(0..<indices.count) ? nil : firstBad(0..<indices.count)
        }
        var row = 0
        while row < indices.count {
            let end = Swift.min(indices.count, row + 64)
            if end - row == 64, validity.allValid(word: row) {
                if !inRange(row..<end) { return firstBad(row..<end) }
            } else if let bad = firstBad(row..<end) {
                return bad
            }
            row = end
        }
        return nil
    }
}
