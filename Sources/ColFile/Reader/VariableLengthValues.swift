/// The offsets and values buffers of a string or binary column (Specification.md §6.1), whose
/// offsets the reader has checked never decrease, start at 0 and end at the values' length.
@usableFromInline
struct VariableLengthValues: Sendable {
    @usableFromInline let owner: MappedRegion
    @usableFromInline let offsets: ByteView
    @usableFromInline let values: ByteView
    @usableFromInline let offsetWidth: Int
    /// The number of rows.
    @usableFromInline let rowCount: Int

    /// Wraps checked buffers inside `owner`: `rowCount + 1` offsets `offsetWidth` bytes wide, and
    /// the values they point into.
    init(owner: MappedRegion, offsets: ByteView, values: ByteView, offsetWidth: Int, rowCount: Int) {
        precondition(offsets.count == (rowCount + 1) * offsetWidth, "offsets length")
        self.owner = owner
        self.offsets = offsets
        self.values = values
        self.offsetWidth = offsetWidth
        self.rowCount = rowCount
    }

    /// Offset number `index`, in `0 ... rowCount`.
    @inlinable func offset(_ index: Int) -> Int {
        Int(Self.load(offsets, width: offsetWidth, index: index))
    }

    /// The bytes of `row`.
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable func bytes(_ row: Int) -> MappedBytes {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        let start = offset(row)
        let end = offset(row + 1)
        guard start >= 0 && start <= end && end <= values.count else { return bytesOfAChangedFile() }
        return MappedBytes(owner: owner, bytes: values.slice(offset: start, length: end - start))
    }

    /// No bytes, for a row whose offsets disagree although they were checked before the view was
    /// made: the file changed under the mapping (its pages now read as zero, or it was rewritten in
    /// place). Marks the mapping damaged, so the reader's checks report
    /// ``ColFileError/Code/fileChanged``, instead of trapping.
    @usableFromInline @inline(never)
    func bytesOfAChangedFile() -> MappedBytes {
        owner.markDamaged()
        return MappedBytes(owner: owner, bytes: values.slice(offset: 0, length: 0))
    }

    /// The number of bytes of `row`, from the offsets alone (no view is made, so no reference to the
    /// mapping is retained: several times faster than `bytes(row).count` in a loop).
    ///
    /// The offsets were checked when the view was made. If the file was rewritten in place since,
    /// the difference wraps instead of trapping and gives whatever the offsets now say; no byte is
    /// read, and ``bytes(_:)`` of the row reports the change. (A check here costs a loop over the
    /// rows half again: 1.3 → 1.9 ns a row, BENCHMARKS.md "Session 23".)
    ///
    /// - Precondition: `row` is in `0 ..< rowCount`.
    @inlinable func byteCount(_ row: Int) -> Int {
        precondition(UInt(bitPattern: row) < UInt(rowCount), "row index out of range")
        return offset(row + 1) &- offset(row)
    }

    /// The sum of the lengths of the rows in `rows` that `validity` marks valid (all of them when
    /// it is nil): O(1) without a bitmap, the lengths telescoping to two offsets; otherwise the
    /// SIMD kernel of ``LengthReduction``. 0 when the sum lies outside the values (the offsets were
    /// rewritten in place after the check), which marks the mapping damaged.
    ///
    /// - Precondition: `rows` lies in `0 ... rowCount`.
    func totalByteCount(_ rows: Range<Int>, validity: ValidityBitmap?) -> Int {
        let total = offsetsTotal(rows, validity: validity)
        guard total >= 0 && total <= values.count else {
            owner.markDamaged()
            return 0
        }
        return total
    }

    /// ``totalByteCount(_:validity:)`` as the offsets give it, not checked against the values (the
    /// length kernels' tests hold offsets of terabytes without their values).
    func offsetsTotal(_ rows: Range<Int>, validity: ValidityBitmap?) -> Int {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "row range out of range")
        return withExtendedLifetime(owner) {
            guard let validity else { return offset(rows.upperBound) &- offset(rows.lowerBound) }
            return validity.withMask { LengthReduction.total(offsets, width: offsetWidth, rows: rows, validity: $0) }
        }
    }

    /// The sum, minimum and maximum of the lengths of the rows `validity` marks valid (all of them
    /// when it is nil); `validity` must stay valid during the call. No valid row when a figure lies
    /// outside the values (the offsets were rewritten in place after the check), which marks the
    /// mapping damaged.
    func lengthFigures(validity: ValidityMask?) -> LengthReduction.Figures {
        let figures = offsetsFigures(validity: validity)
        let range = 0...values.count
        guard range.contains(figures.total), range.contains(figures.minimum ?? 0),
              range.contains(figures.maximum ?? 0) else {
            owner.markDamaged()
            return LengthReduction.Figures()
        }
        return figures
    }

    /// ``lengthFigures(validity:)`` as the offsets give them, not checked against the values (as
    /// ``offsetsTotal(_:validity:)``).
    func offsetsFigures(validity: ValidityMask?) -> LengthReduction.Figures {
        withExtendedLifetime(owner) {
            LengthReduction.figures(offsets, width: offsetWidth, rows: 0..<rowCount, validity: validity)
        }
    }

    /// Offset `index` of offsets `width` bytes wide.
    @inlinable static func load(_ offsets: ByteView, width: Int, index: Int) -> Int64 {
        width == 4 ? Int64(offsets.load(Int32.self, at: index * 4)) : offsets.load(Int64.self, at: index * 8)
    }

    /// The first offset at which the offsets decrease, or nil when they never do.
    static func firstDecrease(offsets: ByteView, width: Int, count: Int) -> Int? {
        var previous = Int64.min
        for index in 0..<count {
            let current = load(offsets, width: width, index: index)
            if current < previous { return index }
            previous = current
        }
        return nil
    }
}
