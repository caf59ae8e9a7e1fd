extension ColumnValidator {
    /// Whether `record` is a plain column — a fixed-width type (not
    /// Bool or a dictionary), rank 0, codec none, no validity buffer, no logical type, no time zone,
    /// no column metadata — that passes every check ``validate(_:index:previousEnd:)`` makes of
    /// such a column (§9 step 14: the row and null counts, the two heap references of length 0, the
    /// four absent buffers, the values' lengths, place and alignment after `previousEnd`). False
    /// for any other record, and for a plain one that breaks a rule: the full checks then take it
    /// and name the first rule it breaks. A record this accepts is one the full checks accept.
    ///
    /// The first use of the columns most files hold, in one small function: the full checks build
    /// their error messages inline and spread over some 40 KB of code, and every page of code an
    /// attach runs is a TLB miss after the unmap of a large file (BENCHMARKS.md, "Attach: the
    /// user-space work at open", session 7).
    func acceptsPlainColumn(_ record: ColumnRecord, previousEnd: UInt64) -> Bool {
        guard let type = PhysicalType(rawValue: record.physicalTypeCode), let elementSize = type.elementSize,
              record.codec == Codec.none.rawValue, record.flags == 0, record.rank == 0,
              record.logicalTypeCode == 0, record.timeUnitCode == 0, record.timeZoneLength == 0,
              record.metadataLength == 0, record.nullCount == 0, record.rowCount == header.rowCount,
              header.heapContains(offset: Int(record.timeZoneOffset), length: 0),
              header.heapContains(offset: Int(record.metadataOffset), length: 0) else { return false }
        let buffers = record.buffers
        let values = buffers.values
        let (length, overflow) = record.rowCount.multipliedReportingOverflow(by: UInt64(elementSize))
        guard !overflow, values.storedLength == length, values.decodedLength == length,
              buffers.validity.isAbsent, buffers.offsets.isAbsent,
              buffers.dictionaryOffsets.isAbsent, buffers.dictionaryValues.isAbsent else { return false }
        guard length > 0 else { return values.offset == 0 && values.checksum == 0 }
        let (end, overflowEnd) = values.offset.addingReportingOverflow(length)
        return values.offset >= UInt64(HeaderLayout.length) && !overflowEnd && end <= directoryOffset
            && values.offset % UInt64(FormatConstants.bufferAlignment) == 0 && values.offset >= previousEnd
    }
}
