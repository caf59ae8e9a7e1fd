extension ColFileReader {
    /// Checks everything ``open(_:)`` does not: every buffer's CRC-32, every null count against its
    /// validity bitmap, the order of every string and binary offset, and the UTF-8 of every String
    /// column (Specification.md §9, *Full verification*).
    ///
    /// - Throws: ``ColFileError`` naming the first column and check that failed.
    /// - Complexity: O(file size); reads every byte once.
    public func verify() throws {
        for index in 0..<columnCount {
            try verifyColumn(info(at: index))
        }
    }

    private func verifyColumn(_ info: ColumnInfo) throws {
        let context = ErrorContext(path: path, column: info.name)
        let view = region.view
        for buffer in info.buffers where buffer.storedLength > 0 {
            let actual = view.slice(offset: Int(buffer.offset), length: Int(buffer.storedLength)).crc32()
            guard actual == buffer.checksum else {
                throw context.error(.bufferChecksumMismatch, "\(buffer.role) buffer checksum mismatch",
                                    offset: buffer.offset, expected: hex(buffer.checksum), found: hex(actual))
            }
        }
        if let validity = info.buffers.first(where: { $0.role == .validity }) {
            let bitmap = unsafe ValidityBitmap(
                owner: region, bits: region.elements(at: validity.offset, count: Int(validity.storedLength), as: UInt8.self),
                rowCount: info.rowCount)
            guard bitmap.zeroCount == info.nullCount else {
                throw context.error(.badNullCount, "null count disagrees with the validity bitmap",
                                    offset: validity.offset, expected: bitmap.zeroCount, found: info.nullCount)
            }
        }
        switch info.physicalType {
        case .string, .largeString:
            let column = try stringColumn(info.name)
            try verifyUTF8(column, info: info, context: context)
        case .binary, .largeBinary:
            _ = try binaryColumn(info.name)
        default:
            break
        }
    }

    private func verifyUTF8(_ column: StringColumn, info: ColumnInfo, context: ErrorContext) throws {
        guard let values = info.buffers.first(where: { $0.role == .values }), values.storedLength > 0 else { return }
        let bytes = region.view.slice(offset: Int(values.offset), length: Int(values.storedLength))
        if let bad = UTF8Validation.firstInvalidByte(bytes) {
            throw context.error(.invalidUTF8, "the strings are not valid UTF-8", offset: values.offset + UInt64(bad))
        }
        for row in 0..<column.count {
            let start = column.storage.offset(row)
            if start < bytes.count, UTF8Validation.isContinuation(bytes.load(UInt8.self, at: start)) {
                throw context.error(.invalidUTF8, "row \(row) starts inside a UTF-8 sequence",
                                    offset: values.offset + UInt64(start))
            }
        }
    }
}
