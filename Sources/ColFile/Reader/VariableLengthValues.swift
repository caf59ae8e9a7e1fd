/// The offsets and values buffers of a string or binary column (Specification.md §6.1), whose
/// offsets the reader has checked never decrease, start at 0 and end at the values' length.
@safe
struct VariableLengthValues: @unchecked Sendable {
    private let owner: MappedRegion
    private let offsets: UnsafeRawBufferPointer
    private let values: UnsafeRawBufferPointer
    private let offsetWidth: Int
    /// The number of rows.
    let rowCount: Int

    /// Wraps checked buffers inside `owner`.
    init(owner: MappedRegion, offsets: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer,
         offsetWidth: Int, rowCount: Int) {
        precondition(offsets.count == (rowCount + 1) * offsetWidth, "offsets length")
        self.owner = owner
        unsafe self.offsets = offsets
        unsafe self.values = values
        self.offsetWidth = offsetWidth
        self.rowCount = rowCount
    }

    /// Offset number `index`, in `0 ... rowCount`.
    func offset(_ index: Int) -> Int {
        if offsetWidth == 4 {
            return Int(Int32(littleEndian: unsafe offsets.load(fromByteOffset: index * 4, as: Int32.self)))
        }
        return Int(Int64(littleEndian: unsafe offsets.load(fromByteOffset: index * 8, as: Int64.self)))
    }

    /// The bytes of `row`.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    func bytes(_ row: Int) -> MappedBytes {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        let start = offset(row)
        let end = offset(row + 1)
        unsafe precondition(start >= 0 && start <= end && end <= values.count, "offsets were not validated")
        return unsafe MappedBytes(owner: owner, bytes: UnsafeRawBufferPointer(rebasing: values[start..<end]))
    }

    /// The number of bytes of `row`, from the offsets alone (no view is made, so no reference to the
    /// mapping is retained: several times faster than `bytes(row).count` in a loop).
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    func byteCount(_ row: Int) -> Int {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        return offset(row + 1) - offset(row)
    }

    /// The sum of the lengths of the rows in `rows` that `validity` marks valid (all of them when
    /// it is nil): O(1) without a bitmap, the lengths telescoping to two offsets; otherwise the
    /// SIMD kernel of ``LengthReduction``.
    ///
    /// - Precondition: `rows` lies in `0 ... rowCount`.
    func totalByteCount(_ rows: Range<Int>, validity: ValidityBitmap?) -> Int {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "row range out of range")
        guard let validity else { return offset(rows.upperBound) - offset(rows.lowerBound) }
        return withExtendedLifetime(owner) {
            validity.withMask { unsafe LengthReduction.total(offsets, width: offsetWidth, rows: rows, validity: $0) }
        }
    }

    /// The sum, minimum and maximum of the lengths of the rows `validity` marks valid (all of them
    /// when it is nil); `validity` must stay valid during the call.
    func lengthFigures(validity: ValidityMask?) -> LengthReduction.Figures {
        withExtendedLifetime(owner) {
            unsafe LengthReduction.figures(offsets, width: offsetWidth, rows: 0..<rowCount, validity: validity)
        }
    }

    /// Offset `index` of raw offsets `width` bytes wide.
    static func load(_ offsets: UnsafeRawBufferPointer, width: Int, index: Int) -> Int64 {
        width == 4 ? Int64(Int32(littleEndian: unsafe offsets.load(fromByteOffset: index * 4, as: Int32.self)))
            : Int64(littleEndian: unsafe offsets.load(fromByteOffset: index * 8, as: Int64.self))
    }

    /// The first offset at which the offsets decrease, or nil when they never do.
    static func firstDecrease(offsets: UnsafeRawBufferPointer, width: Int, count: Int) -> Int? {
        var previous = Int64.min
        for index in 0..<count {
            let current = unsafe load(offsets, width: width, index: index)
            if current < previous { return index }
            previous = current
        }
        return nil
    }
}
