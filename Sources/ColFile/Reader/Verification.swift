extension ColFileReader {
    /// Makes every column's first-use checks (Specification.md §9) in directory order, then checks
    /// everything those and ``open(_:options:)`` do not: every buffer's CRC-32 (for cold columns,
    /// every chunk decoded and checked, then the whole buffer), every null count against its
    /// validity bitmap, every string and binary offset, the UTF-8 of every String column, and
    /// every index of a dictionary-encoded column with its dictionary's offsets and UTF-8
    /// (Specification.md §9, *Full verification*).
    ///
    /// - Throws: ``ColFileError`` naming the first column (and chunk) and check that failed.
    /// - Complexity: O(file size + decoded size); cold columns are decoded into private memory one
    ///   at a time, whatever ``options`` say about the cache, but never one larger than
    ///   ``ReaderOptions/maxDecodedBytes`` (``ColFileError/Code/decodeLimitExceeded``).
    public func verify() throws {
        try intact {
            // Every column's first-use checks before any column's full checks: a record's fault is
            // reported as a check at open would (Specification.md §9), not after an earlier column's.
            for info in try columns { try verifyColumn(info) }
        }
    }

    /// The checks of ``verify()`` for one column, so a caller can report progress column by column.
    ///
    /// - Throws: ``ColFileError``: ``ColFileError/Code/noSuchColumn`` for an unknown name, else
    ///   the first check that failed, as ``verify()``.
    /// - Complexity: O(the column's stored and decoded size).
    public func verify(column name: String) throws {
        try intact {
            try verifyColumn(info(name))
        }
    }

    private func verifyColumn(_ info: ColumnInfo) throws {
        if let unreadable = info.unreadable { throw unreadable }
        let context = ErrorContext(path: path, column: info.name)
        let bytes: ColumnBytes
        if info.isCompressed {
            try checkDecodeLimit(info)
            let layout = DecodedLayout(info)
            bytes = ColumnBytes(region: try decodePrivately(info, layout: layout, checkingChecksums: true),
                                locations: layout.locations,
                                isFile: false)
        } else {
            bytes = try columnBytes(info)
        }
        let view = bytes.region.view
        for buffer in info.buffers where buffer.decodedLength > 0 {
            let location = bytes[buffer.role]!
            let actual = view.slice(offset: Int(location.offset), length: location.length).crc32()
            guard actual == buffer.checksum else {
                throw context.error(.bufferChecksumMismatch, "\(buffer.role) buffer checksum mismatch",
                                    offset: buffer.offset, expected: hex(buffer.checksum), found: hex(actual))
            }
        }
        if let validity = bitmap(bytes, .validity, rows: info.rowCount) {
            guard validity.zeroCount == info.nullCount else {
                throw context.error(.badNullCount, "null count disagrees with the validity bitmap",
                                    offset: bytes[.validity].map { bytes.isFile ? $0.offset : 0 },
                                    expected: validity.zeroCount, found: info.nullCount)
            }
        }
        if info.physicalType.offsetWidth != nil {
            // Offsets, and UTF-8 for strings: checked before any value is served.
            _ = try variableLengthValues(info, bytes)
        }
        if let encoding = info.dictionary {
            // The dictionary's offsets and UTF-8, and every index (Specification.md §6.4).
            _ = try dictionaryView(info, encoding, bytes)
        }
    }
}
