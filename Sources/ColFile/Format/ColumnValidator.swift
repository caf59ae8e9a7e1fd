/// Checks one column record against the rules of Specification.md §5.2, §6 and §7: spec §9 step 14.
///
/// Every check reads only the directory and, for string and binary columns, two offsets; none is
/// proportional to the column's data.
struct ColumnValidator {
    /// The whole file.
    let file: ByteView
    /// The directory.
    let directory: ByteView
    /// The directory's header.
    let header: DirectoryHeader
    /// Absolute offset of the directory: buffers end at or before it.
    let directoryOffset: UInt64
    /// The file being opened.
    let context: ErrorContext

    /// Checks `record`, the `index`th, in the order of spec §9 step 14, after its name (step 14.1),
    /// which the caller checked (``checkName(ofColumn:)``, ``checkRecordLength(ofColumn:)``);
    /// `previousEnd` is where the previous buffer ended, and is advanced past this column's buffers.
    ///
    /// - Returns: nil for a readable column; for a column whose physical type or codec this reader
    ///   does not know, the error to refuse it with when it is asked for (§9 step 14.2). Such a
    ///   column gets only the checks that do not depend on its type.
    /// - Throws: the first rule the record breaks.
    func validate(_ record: ColumnRecord, index: Int, previousEnd: inout UInt64) throws -> ColFileError? {
        let recordOffset = directoryOffset + UInt64(header.recordsOffset + index * header.recordLength)
        // The name is decoded only into an error (``ErrorContext/columnNameBytes``).
        let context = context.about(columnNamed: nameView(record))
        guard let physicalType = PhysicalType(rawValue: record.physicalTypeCode) else {
            try validateCounts(record, recordOffset: recordOffset, context: context)
            try validatePlacement(record, recordOffset: recordOffset, previousEnd: &previousEnd, context: context)
            return context.error(.unknownPhysicalType, "unknown physical type",
                                 offset: Record.physicalType.at(recordOffset),
                                 expected: "1 to 17", found: record.physicalTypeCode)
        }
        guard let codec = Codec(rawValue: record.codec) else {
            try validateCounts(record, recordOffset: recordOffset, context: context)
            try validatePlacement(record, recordOffset: recordOffset, previousEnd: &previousEnd, context: context)
            return context.error(.unsupportedCodec, "unsupported codec", offset: Record.codec.at(recordOffset),
                                 expected: "0 to 2", found: record.codec)
        }
        guard record.flags & ~FormatConstants.columnFlagHasValidity == 0 else {
            throw context.error(.badColumnType, "unknown column flags are set", offset: Record.flags.at(recordOffset),
                                expected: "only bit 0", found: record.flags)
        }
        let rowElements = try validateShape(record, physicalType, recordOffset: recordOffset, context: context)
        let dictionary = physicalType == .dictionary
            ? try validateDictionary(record, recordOffset: recordOffset, context: context) : nil
        try validateLogicalType(record, dictionary?.valueType ?? physicalType, recordOffset: recordOffset,
                                context: context)
        try validateCounts(record, recordOffset: recordOffset, context: context)
        let expected = try expectedLengths(record, physicalType, rowElements: rowElements, dictionary: dictionary,
                                           recordOffset: recordOffset, context: context)
        for role in BufferRole.allCases {
            let descriptorOffset = recordOffset + UInt64(Record.buffer(role.rawValue))
            // The values (or indices) and a dictionary's values are present even when empty.
            let alwaysPresent = role == .values || (dictionary != nil && role == .dictionaryValues)
            try validateBuffer(record.buffers[role.rawValue], name: Self.bufferName(role, dictionary: dictionary != nil),
                               expectedLength: expected[role], alwaysPresent: alwaysPresent,
                               compressed: codec != .none, descriptorOffset: descriptorOffset,
                               previousEnd: &previousEnd, context: context)
        }
        if codec == .none {
            if let width = physicalType.offsetWidth {
                try validateOuterOffsets(record, .offsets, .values, width: width, count: record.rowCount,
                                         context: context)
            }
            if let dictionary, let width = dictionary.valueType.offsetWidth {
                try validateOuterOffsets(record, .dictionaryOffsets, .dictionaryValues, width: width,
                                         count: UInt64(dictionary.entryCount), context: context)
            }
        }
        return nil
    }

    // MARK: - Parts

    /// The name of buffer `role` in messages: a dictionary-encoded column's values are its indices.
    static func bufferName(_ role: BufferRole, dictionary: Bool) -> String {
        dictionary && role == .values ? "indices buffer" : "\(role) buffer"
    }

    /// The fields of a dictionary-encoded column (§6.4, §9 step 14.3): index type, value type,
    /// record length and dictionary length.
    private func validateDictionary(_ record: ColumnRecord, recordOffset: UInt64,
                                    context: ErrorContext) throws -> DictionaryEncoding {
        guard let indexType = PhysicalType(rawValue: record.dictionaryIndexTypeCode), indexType.canBeDictionaryIndex else {
            throw context.error(.badColumnType, "invalid dictionary index type",
                                offset: Record.dictionaryIndexType.at(recordOffset),
                                expected: "1 (Int8), 2 (Int16) or 3 (Int32)", found: record.dictionaryIndexTypeCode)
        }
        guard let valueType = PhysicalType(rawValue: record.dictionaryValueTypeCode), valueType.canBeDictionaryValue else {
            throw context.error(.badColumnType, "invalid dictionary value type",
                                offset: Record.dictionaryValueType.at(recordOffset),
                                expected: "1 to 11 or 13 to 16", found: record.dictionaryValueTypeCode)
        }
        guard header.recordLength >= Record.dictionaryLength else { throw recordTooShort(context: context) }
        let maxEntries = DictionaryEncoding.maxEntryCount(indexType: indexType)
        guard record.dictionaryEntryCount <= UInt64(maxEntries) else {
            throw context.error(.badColumnType, "the dictionary has more entries than \(indexType) indices can address",
                                offset: Record.dictionaryEntryCount.at(recordOffset),
                                expected: "at most \(maxEntries)", found: record.dictionaryEntryCount)
        }
        return DictionaryEncoding(indexType: indexType, valueType: valueType,
                                  entryCount: Int(record.dictionaryEntryCount))
    }

    /// Row count, null count and column metadata (§9 step 14.5): the checks every column gets.
    private func validateCounts(_ record: ColumnRecord, recordOffset: UInt64, context: ErrorContext) throws {
        guard record.rowCount == header.rowCount else {
            throw context.error(.rowCountMismatch, "row count differs from the table's",
                                offset: Record.rowCount.at(recordOffset),
                                expected: header.rowCount, found: record.rowCount)
        }
        guard record.nullCount <= record.rowCount, record.hasValidity || record.nullCount == 0 else {
            throw context.error(
                .badNullCount, record.hasValidity ? "null count exceeds the row count" : "null count is not 0 but the column has no validity buffer",
                offset: Record.nullCount.at(recordOffset),
                expected: record.hasValidity ? "at most \(record.rowCount)" : "0", found: record.nullCount)
        }
        // Checked whatever its length: a reference of length 0 must lie in the heap too (§5.4).
        let block = try heapSlice(offset: record.metadataOffset, length: record.metadataLength,
                                  limit: FormatLimits.maxColumnMetadataLength, what: "column metadata",
                                  code: .badMetadata, recordOffset: Record.metadataOffset.at(recordOffset),
                                  context: context)
        if record.metadataLength > 0 {
            try MetadataBlock.walk(block, offset: directoryOffset + UInt64(header.heapOffset) + UInt64(record.metadataOffset),
                                   context: context)
        }
    }

    /// The placement of the present buffers of a column whose type or codec is unknown (§9 step
    /// 14.2): each non-empty one inside the data region, aligned and after the previous buffer.
    private func validatePlacement(_ record: ColumnRecord, recordOffset: UInt64, previousEnd: inout UInt64,
                                   context: ErrorContext) throws {
        for role in BufferRole.allCases where record.buffers[role.rawValue].storedLength > 0 {
            try validatePlace(record.buffers[role.rawValue], name: "\(role) buffer",
                              descriptorOffset: recordOffset + UInt64(Record.buffer(role.rawValue)),
                              previousEnd: &previousEnd, context: context)
        }
    }

    /// Checks the name of column `index` (§9 step 14.1) without decoding it into a `String`: a
    /// column's first use, a lookup by name (for each name it visits) and the check of all names
    /// (before the name index) check names this way.
    func checkName(ofColumn index: Int) throws {
        let position = header.recordsOffset + index * header.recordLength
        try checkName(offset: directory.load(Record.nameOffset, at: position),
                      length: directory.load(Record.nameLength, at: position),
                      recordOffset: directoryOffset + UInt64(position))
    }

    /// Checks that column `index`, when dictionary-encoded (physical type 17), has records long
    /// enough for its dictionary fields (§9 step 14.1): records shorter than that frame every
    /// later record wrongly, so this is checked with the name, before the rest of the record.
    func checkRecordLength(ofColumn index: Int) throws {
        guard header.recordLength < Record.dictionaryLength else { return }
        let position = header.recordsOffset + index * header.recordLength
        guard directory.load(Record.physicalType, at: position) == PhysicalType.dictionary.rawValue else { return }
        let name = nameView(ofColumn: index).utf8String() ?? ""
        throw recordTooShort(context: context.about(column: name))
    }

    /// The error for a dictionary-encoded column in a directory of records shorter than 232 bytes.
    private func recordTooShort(context: ErrorContext) -> ColFileError {
        context.error(.badColumnType, "a dictionary-encoded column needs column records of at least 232 bytes",
                      offset: DirectoryHeaderLayout.recordLength.at(directoryOffset),
                      expected: "at least \(Record.dictionaryLength)", found: header.recordLength)
    }

    /// The name's length, place in the heap and UTF-8 (§9 step 14.1).
    private func checkName(offset: UInt32, length: UInt32, recordOffset: UInt64) throws {
        let length = Int(length)
        guard length >= 1, length <= FormatLimits.maxNameLength else {
            throw context.error(.badColumnName, "column name length is out of range",
                                offset: Record.nameLength.at(recordOffset),
                                expected: "1 to \(FormatLimits.maxNameLength)", found: length)
        }
        guard header.heapContains(offset: Int(offset), length: length) else {
            throw context.error(.badColumnName, "column name lies outside the heap", offset: recordOffset,
                                expected: "within \(header.heapLength) bytes",
                                found: "offset \(offset) length \(length)")
        }
        let name = directory.slice(offset: header.heapOffset + Int(offset), length: length)
        guard name.isASCII() || UTF8Validation.firstInvalidByte(name) == nil else {
            throw context.error(.badColumnName, "column name is not valid UTF-8", offset: recordOffset)
        }
    }

    /// The bytes of a name that `validateName` accepted.
    func nameView(_ record: ColumnRecord) -> ByteView {
        directory.slice(offset: header.heapOffset + Int(record.nameOffset), length: Int(record.nameLength))
    }

    /// The bytes of the name of column `index`, whose record `validate` accepted, read without
    /// parsing the rest of the record.
    func nameView(ofColumn index: Int) -> ByteView {
        let position = header.recordsOffset + index * header.recordLength
        return directory.slice(offset: header.heapOffset + Int(directory.load(Record.nameOffset, at: position)),
                               length: Int(directory.load(Record.nameLength, at: position)))
    }

    /// Checks rank and shape; returns the number of elements in one row (1 for scalars).
    private func validateShape(_ record: ColumnRecord, _ type: PhysicalType, recordOffset: UInt64,
                               context: ErrorContext) throws -> Int {
        let rank = Int(record.rank)
        guard rank > 0 else { return 1 }
        guard rank <= FormatLimits.maxRank else {
            throw context.error(.badColumnType, "tensor rank is too high", offset: Record.rank.at(recordOffset),
                                expected: "at most \(FormatLimits.maxRank)", found: rank)
        }
        guard let elementSize = type.elementSize else {
            throw context.error(.badColumnType, "only fixed-width types can be tensors",
                                offset: Record.rank.at(recordOffset),
                                expected: "rank 0 for \(type)", found: rank)
        }
        let shape = try heapSlice(offset: record.shapeOffset, length: UInt32(rank * 8), limit: 64, what: "shape",
                                  code: .badColumnType, recordOffset: Record.shapeOffset.at(recordOffset),
                                  context: context)
        var rowBytes = elementSize
        for axis in 0..<rank {
            let dimension = shape.load(UInt64.self, at: axis * 8)
            guard dimension >= 1, dimension <= UInt64(FormatLimits.maxTensorRowBytes) else {
                throw context.error(.badColumnType, "tensor dimension \(axis) is out of range",
                                    offset: Record.shapeOffset.at(recordOffset),
                                    expected: "1 to \(FormatLimits.maxTensorRowBytes)", found: dimension)
            }
            let (product, overflow) = rowBytes.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product <= FormatLimits.maxTensorRowBytes else {
                throw context.error(.badColumnType, "tensor rows are too large",
                                    offset: Record.shapeOffset.at(recordOffset),
                                    expected: "at most \(FormatLimits.maxTensorRowBytes) bytes per row",
                                    found: overflow ? "more" : "\(product) bytes")
            }
            rowBytes = product
        }
        return rowBytes / elementSize
    }

    private func validateLogicalType(_ record: ColumnRecord, _ type: PhysicalType, recordOffset: UInt64,
                                     context: ErrorContext) throws {
        let isTimestamp = record.logicalTypeCode == LogicalType.timestamp(unit: .seconds, timeZone: nil).code
        if let required = LogicalType.fromCode(record.logicalTypeCode).requiredPhysicalType {
            guard type == required, record.rank == 0 else {
                throw context.error(.logicalTypeMismatch, "logical type needs another physical type",
                                    offset: Record.logicalType.at(recordOffset), expected: "\(required) with rank 0",
                                    found: "\(type) with rank \(record.rank)")
            }
        }
        guard isTimestamp ? record.timeUnitCode <= 3 : record.timeUnitCode == 0 else {
            throw context.error(.badColumnType, "invalid time unit", offset: Record.timeUnit.at(recordOffset),
                                expected: isTimestamp ? "0 to 3" : "0 (not a timestamp)", found: record.timeUnitCode)
        }
        guard isTimestamp || record.timeZoneLength == 0 else {
            throw context.error(.badColumnType, "a time zone is set on a column that is not a timestamp",
                                offset: Record.timeZoneLength.at(recordOffset))
        }
        // Checked whatever its length: a reference of length 0 must lie in the heap too (§5.4).
        let zone = try heapSlice(offset: record.timeZoneOffset, length: record.timeZoneLength,
                                 limit: FormatLimits.maxTimeZoneLength, what: "time zone",
                                 code: .badColumnType, recordOffset: Record.timeZoneOffset.at(recordOffset),
                                 context: context)
        guard record.timeZoneLength == 0 || TimeZoneSyntax.isValid(zone) else {
            throw context.error(.badColumnType, "time zone is neither an offset like +01:00 nor a zone name like Europe/Paris",
                                offset: Record.timeZoneOffset.at(recordOffset),
                                found: "'\(String(decoding: zone.array(), as: UTF8.self))'")
        }
    }

    /// The required length of each of a record's five buffers (nil: any length, checked against
    /// the offsets; 0 for a slot the column leaves absent, unless it is always present). Five
    /// values, not an array: a column's first use then allocates nothing for them.
    private struct ExpectedLengths {
        var validity: UInt64?
        var offsets: UInt64?
        var values: UInt64?
        var dictionaryOffsets: UInt64? = 0
        var dictionaryValues: UInt64? = 0

        /// The length for the buffer in `role`.
        subscript(role: BufferRole) -> UInt64? {
            switch role {
            case .validity: validity
            case .offsets: offsets
            case .values: values
            case .dictionaryOffsets: dictionaryOffsets
            case .dictionaryValues: dictionaryValues
            }
        }
    }

    /// The required length of each buffer (see ``ExpectedLengths``).
    private func expectedLengths(_ record: ColumnRecord, _ type: PhysicalType, rowElements: Int,
                                 dictionary: DictionaryEncoding?, recordOffset: UInt64,
                                 context: ErrorContext) throws -> ExpectedLengths {
        let rows = record.rowCount
        let bitmapLength = rows / 8 + (rows % 8 == 0 ? 0 : 1)
        let validity: UInt64? = record.hasValidity ? bitmapLength : 0
        func product(_ count: UInt64, _ size: Int) throws -> UInt64 {
            let (length, overflow) = count.multipliedReportingOverflow(by: UInt64(size))
            guard !overflow else {
                throw context.error(.bufferLengthMismatch, "row count is too large for any file",
                                    offset: Record.rowCount.at(recordOffset), found: rows)
            }
            return length
        }
        if let dictionary {
            // N + 1 cannot overflow: N was checked to be at most 2^31 - 1.
            let entries = UInt64(dictionary.entryCount)
            let indexWidth = dictionary.indexType.elementSize!
            let dictionaryOffsets: UInt64 = dictionary.valueType.offsetWidth.map { (entries + 1) * UInt64($0) } ?? 0
            let dictionaryValues: UInt64? = dictionary.valueType.elementSize.map { entries * UInt64($0) }
            return ExpectedLengths(validity: validity, offsets: 0, values: try product(rows, indexWidth),
                                   dictionaryOffsets: dictionaryOffsets, dictionaryValues: dictionaryValues)
        }
        if let elementSize = type.elementSize {
            return ExpectedLengths(validity: validity, offsets: 0, values: try product(rows, elementSize * rowElements))
        }
        if let width = type.offsetWidth {
            let (count, overflow) = rows.addingReportingOverflow(1)
            guard !overflow else {
                throw context.error(.bufferLengthMismatch, "row count is too large for any file",
                                    offset: Record.rowCount.at(recordOffset), found: rows)
            }
            return ExpectedLengths(validity: validity, offsets: try product(count, width), values: nil)
        }
        return ExpectedLengths(validity: validity, offsets: 0, values: bitmapLength)
    }

    /// `name` names the buffer in messages; it is built only for one.
    private func validateBuffer(_ buffer: BufferDescriptor, name: @autoclosure () -> String, expectedLength: UInt64?,
                                alwaysPresent: Bool, compressed: Bool, descriptorOffset: UInt64,
                                previousEnd: inout UInt64, context: ErrorContext) throws {
        if expectedLength == 0 && !alwaysPresent {
            // The slot is unused by this type (or, for validity, by a column without nulls).
            guard buffer.isAbsent else {
                throw context.error(.bufferLengthMismatch, "\(name()) must be absent (all zero)", offset: descriptorOffset,
                                    expected: "absent", found: "offset \(buffer.offset) length \(buffer.storedLength)")
            }
            return
        }
        guard compressed || buffer.decodedLength == buffer.storedLength else {
            throw context.error(.bufferLengthMismatch, "\(name()) has a decoded length unlike its stored length",
                                offset: Descriptor.decodedLength.at(descriptorOffset), expected: buffer.storedLength,
                                found: buffer.decodedLength)
        }
        if let expectedLength, buffer.decodedLength != expectedLength {
            throw context.error(.bufferLengthMismatch, "\(name()) length does not match the row count",
                                offset: (compressed ? Descriptor.decodedLength : Descriptor.storedLength)
                                    .at(descriptorOffset),
                                expected: expectedLength, found: buffer.decodedLength)
        }
        guard buffer.decodedLength > 0 else {
            guard buffer.offset == 0, buffer.storedLength == 0, buffer.checksum == 0 else {
                throw context.error(.bufferLengthMismatch, "empty \(name()) must have offset 0 and checksum 0",
                                    offset: descriptorOffset, expected: "offset 0", found: "offset \(buffer.offset)")
            }
            return
        }
        try validatePlace(buffer, name: name(), descriptorOffset: descriptorOffset, previousEnd: &previousEnd,
                          context: context)
        if compressed {
            _ = try ChunkIndex(stored: file.slice(offset: Int(buffer.offset), length: Int(buffer.storedLength)),
                               decodedLength: buffer.decodedLength, fileOffset: buffer.offset, context: context)
        }
    }

    /// A non-empty buffer's place (§7): inside the data region, aligned, after the previous buffer.
    private func validatePlace(_ buffer: BufferDescriptor, name: @autoclosure () -> String, descriptorOffset: UInt64,
                               previousEnd: inout UInt64, context: ErrorContext) throws {
        let (end, overflow) = buffer.offset.addingReportingOverflow(buffer.storedLength)
        guard buffer.offset >= UInt64(HeaderLayout.length), !overflow, end <= directoryOffset else {
            throw context.error(
                .bufferOutOfBounds, "\(name()) lies outside the data region", offset: descriptorOffset,
                expected: "within bytes \(HeaderLayout.length)..<\(directoryOffset)",
                found: "offset \(buffer.offset) length \(buffer.storedLength)")
        }
        guard buffer.offset % UInt64(FormatConstants.bufferAlignment) == 0 else {
            throw context.error(.misalignedBuffer, "\(name()) is not 64-byte aligned", offset: descriptorOffset,
                                expected: "a multiple of 64", found: buffer.offset)
        }
        guard buffer.offset >= previousEnd else {
            throw context.error(.overlappingBuffers, "\(name()) overlaps the previous buffer", offset: descriptorOffset,
                                expected: "offset at least \(previousEnd)", found: buffer.offset)
        }
        previousEnd = end
    }

    /// The first and last of the `count + 1` offsets in slot `offsetsRole` of a plain column:
    /// 0 and the length of the bytes in slot `valuesRole` (§6.1) [`badOffsets`].
    private func validateOuterOffsets(_ record: ColumnRecord, _ offsetsRole: BufferRole, _ valuesRole: BufferRole,
                                      width: Int, count: UInt64, context: ErrorContext) throws {
        let offsets = record.buffers[offsetsRole.rawValue]
        let values = record.buffers[valuesRole.rawValue]
        let what = offsetsRole == .offsets ? "offset" : "dictionary offset"
        let first = OffsetsReader.load(file, bufferOffset: offsets.offset, width: width, index: 0)
        let last = OffsetsReader.load(file, bufferOffset: offsets.offset, width: width, index: count)
        guard first == 0 else {
            throw context.error(.badOffsets, "the first \(what) is not 0", offset: offsets.offset, expected: 0, found: first)
        }
        guard last == Int64(clamping: values.storedLength) else {
            throw context.error(.badOffsets, "the last \(what) is not the \(valuesRole == .values ? "values" : "dictionary values") length",
                                offset: offsets.offset + count * UInt64(width),
                                expected: values.storedLength, found: last)
        }
    }

    private func heapSlice(offset: UInt32, length: UInt32, limit: Int, what: String, code: ColFileError.Code,
                           recordOffset: UInt64, context: ErrorContext) throws -> ByteView {
        guard Int(length) <= limit, header.heapContains(offset: Int(offset), length: Int(length)) else {
            throw context.error(code, "\(what) lies outside the heap or is too long", offset: recordOffset,
                                expected: "at most \(limit) bytes within \(header.heapLength)",
                                found: "offset \(offset) length \(length)")
        }
        return directory.slice(offset: header.heapOffset + Int(offset), length: Int(length))
    }
}

/// Reads one offset of a string or binary column's offsets buffer.
enum OffsetsReader {
    /// Offset `index` of the buffer at `bufferOffset`, whose range the caller has checked.
    static func load(_ file: ByteView, bufferOffset: UInt64, width: Int, index: UInt64) -> Int64 {
        let position = Int(bufferOffset) + Int(index) * width
        return width == 4 ? Int64(file.load(Int32.self, at: position)) : file.load(Int64.self, at: position)
    }
}

extension LogicalType {
    /// The logical type for a stored code, without its unit and zone.
    static func fromCode(_ code: UInt8) -> LogicalType {
        switch code {
        case 0: .none
        case 1: .timestamp(unit: .seconds, timeZone: nil)
        case 2: .date
        default: .unknown(code: code)
        }
    }
}

private typealias Record = ColumnRecordLayout
private typealias Descriptor = BufferDescriptorLayout
