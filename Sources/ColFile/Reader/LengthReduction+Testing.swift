/// The length kernels over offsets and a bitmap held in memory, for tests: files with 64-bit
/// offsets (LargeString, LargeBinary) need 2 GiB of values, too much for a unit test. The sums are
/// the offsets' alone: the readers' check of them against the values is tested on files.
package enum LengthKernelProbe {
    /// What ``StringColumn/totalByteCount(in:)`` returns for a column with these offsets and bitmap
    /// (and values as long as the last offset).
    ///
    /// - Parameters:
    ///   - offsets: `rows + 1` offsets that never decrease, stored `width` (4 or 8) bytes wide.
    ///   - validity: At least `ceil(rows / 8)` bitmap bytes, or nil for a column without nulls.
    package static func totalByteCount(offsets: [Int64], width: Int, validity: [UInt8]?, rows: Range<Int>) -> Int {
        let (values, bitmap) = make(offsets: offsets, width: width, validity: validity)
        return values.offsetsTotal(rows, validity: bitmap)
    }

    /// The minimum, maximum and total length ``ColFileReader/statistics(_:)`` reports for such a
    /// column (parameters as ``totalByteCount(offsets:width:validity:rows:)``).
    package static func lengthStatistics(offsets: [Int64], width: Int, validity: [UInt8]?)
        -> (min: Int?, max: Int?, total: Int) {
        let (values, bitmap) = make(offsets: offsets, width: width, validity: validity)
        let figures = bitmap.map { $0.withMask { values.offsetsFigures(validity: $0) } }
            ?? values.offsetsFigures(validity: nil)
        return (figures.minimum, figures.maximum, figures.total)
    }

    private static func make(offsets: [Int64], width: Int, validity: [UInt8]?)
        -> (VariableLengthValues, ValidityBitmap?) {
        precondition(width == 4 || width == 8, "offset width")
        var bytes: [UInt8] = []
        for offset in offsets {
            let value = width == 4 ? UInt64(UInt32(truncatingIfNeeded: offset)) : UInt64(bitPattern: offset)
            for byte in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
        }
        let offsetsLength = bytes.count
        bytes += validity ?? []
        let region = MappedRegion(copying: bytes)
        let rows = offsets.count - 1
        let values = VariableLengthValues(owner: region, offsets: region.view(at: 0, length: offsetsLength),
                                          values: region.view(at: 0, length: 0), offsetWidth: width, rowCount: rows)
        let bitmap = validity.map {
            ValidityBitmap(owner: region, bits: region.view(at: UInt64(offsetsLength), length: $0.count), rowCount: rows)
        }
        return (values, bitmap)
    }
}
