import SystemPackage

extension DraftSealer {
    /// Seals by writing the draft's columns through ``ColFileWriter`` into a new file at the
    /// target (compressed as the options say; the writer publishes it atomically), then removes
    /// the draft. The draft is untouched until the new file is published: a crash before leaves
    /// the draft and the previous target; a crash between the publish and the removal leaves the
    /// draft too, and sealing it again publishes the same table again.
    func sealByCopy(_ draft: DraftLayout, region: MappedRegion) throws -> SealReport {
        let writer = try ColFileWriter(path: target, options: ColFileWriter.Options(fileID: draft.header.fileID,
                                                                                    syncsToDisk: options.syncsToDisk))
        writer.metadata = try draft.description.fileMetadata()
        writer.compression = options.compression
        var nullCounts: [String: Int] = [:]
        for column in draft.columns {
            let validity = column.validity.flatMap { bitmap -> ValidityMask? in
                guard bitmap.storedLength > 0 else { return nil }
                return ValidityMask(bits: region.view(at: bitmap.offset, length: Int(bitmap.storedLength)),
                                    rowCount: draft.rowCount)
            }
            let values = region.view(at: column.values.offset, length: Int(column.values.storedLength))
            nullCounts[column.declaration.name] = try withExtendedLifetime(region) {
                try copy(column.declaration, values: values, validity: validity, rows: draft.rowCount, into: writer)
            }
        }
        // A truncation of the draft would have turned what was copied into zeros: publish nothing
        // then (the writer's temporary is discarded, the previous target stays).
        guard !region.isDamaged else { throw truncatedWhileSealing() }
        try writer.finish()
        do throws(Errno) {
            try Syscalls.remove(pathOfDraft)
        } catch {
            throw ColFileError(.io, path: pathOfDraft, message: "the file was published but the draft could not be removed",
                               errno: error)
        }
        let bytes = (try? Syscalls.fileStatus(ofPath: target).size) ?? 0
        return SealReport(target: target, bytes: bytes, inPlace: false, resumed: false, nullCounts: nullCounts)
    }

    /// Streams one column into `writer`, valid runs from the mapping and null runs as nulls;
    /// returns its null count.
    private func copy(_ column: DraftColumn, values: ByteView, validity: ValidityMask?, rows: Int,
                      into writer: ColFileWriter) throws -> Int {
        switch column.physicalType {
        case .int8: try copyFixed(Int8.self, column, values, validity, rows, writer)
        case .int16: try copyFixed(Int16.self, column, values, validity, rows, writer)
        case .int32: try copyFixed(Int32.self, column, values, validity, rows, writer)
        case .int64: try copyFixed(Int64.self, column, values, validity, rows, writer)
        case .uint8: try copyFixed(UInt8.self, column, values, validity, rows, writer)
        case .uint16: try copyFixed(UInt16.self, column, values, validity, rows, writer)
        case .uint32: try copyFixed(UInt32.self, column, values, validity, rows, writer)
        case .uint64: try copyFixed(UInt64.self, column, values, validity, rows, writer)
        case .float16: try copyFixed(Float16.self, column, values, validity, rows, writer)
        case .float32: try copyFixed(Float.self, column, values, validity, rows, writer)
        case .float64: try copyFixed(Double.self, column, values, validity, rows, writer)
        case .bool: try copyBool(column, values, validity, rows, writer)
        case .string, .largeString, .binary, .largeBinary, .dictionary:
            preconditionFailure("a draft's layout holds only fixed-width and Bool columns")
        }
    }

    private func copyFixed<Value: FixedWidthElement>(_ type: Value.Type, _ column: DraftColumn, _ values: ByteView,
                                                     _ validity: ValidityMask?, _ rows: Int,
                                                     _ writer: ColFileWriter) throws -> Int {
        let stream = try writer.streamColumn(column.name, of: Value.self, shape: column.shape,
                                             logicalType: column.logicalType, metadata: column.metadata)
        let perRow = column.valuesPerRow
        let nulls = try Self.forEachRun(rows, validity) { run, valid in
            if valid {
                try values.withSpan(of: Value.self) {
                    try stream.append(contentsOf: $0.extracting((run.lowerBound * perRow)..<(run.upperBound * perRow)))
                }
            } else {
                try stream.appendNulls(run.count)
            }
        }
        try stream.finish()
        return nulls
    }

    private func copyBool(_ column: DraftColumn, _ values: ByteView, _ validity: ValidityMask?, _ rows: Int,
                          _ writer: ColFileWriter) throws -> Int {
        let stream = try writer.streamBoolColumn(column.name, metadata: column.metadata)
        let bits = ValidityMask(bits: values, rowCount: rows)
        let nulls = try Self.forEachRun(rows, validity) { run, valid in
            if valid {
                try stream.append(contentsOf: run.lazy.map(bits.isValid))
            } else {
                try stream.appendNulls(run.count)
            }
        }
        try stream.finish()
        return nulls
    }

    /// Calls `body` with each maximal run of rows that are all valid or all null, in order, in
    /// pieces of at most 1 Mi rows; returns the null rows.
    private static func forEachRun(_ rows: Int, _ validity: ValidityMask?,
                                   _ body: (Range<Int>, Bool) throws -> Void) throws -> Int {
        let piece = 1 << 20
        var nulls = 0
        var start = 0
        while start < rows {
            let valid = validity?.isValid(start) ?? true
            var end = start + 1
            while end < rows, end - start < piece, (validity?.isValid(end) ?? true) == valid { end += 1 }
            try body(start..<end, valid)
            if !valid { nulls += end - start }
            start = end
        }
        return nulls
    }
}
