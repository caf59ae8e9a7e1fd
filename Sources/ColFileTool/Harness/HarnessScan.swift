import ColFile

/// What a harness worker does with the file: open it in a ``HarnessMode`` and checksum the chosen
/// columns through the library's public views (``ColumnChecksum``).
struct HarnessScan {
    /// Shared mapping or private copy.
    var mode: HarnessMode
    /// The columns to scan, or nil for all, in file order.
    var columns: [String]?
    /// Which values to hash.
    var sampling: ChecksumSampling
    /// The shared decode cache's folder, or nil for the library's default.
    var cacheFolder: String?

    /// Opens `path` as ``mode`` says.
    func open(_ path: String) throws -> ColFileReader {
        switch mode {
        case .shared:
            return try ColFileReader.open(path, options: ReaderOptions(coldColumns: .sharedCache, cacheFolder: cacheFolder))
        case .copy:
            return try ColFileReader.openPrivateCopy(path, options: ReaderOptions(coldColumns: .privateMemory))
        }
    }

    /// The names of the columns to scan; checks that each exists.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn``.
    func chosenColumns(of reader: ColFileReader) throws -> [ColumnInfo] {
        guard let columns else { return try reader.columns }
        return try columns.map { try reader.info($0) }
    }

    /// Hashes the chosen columns.
    ///
    /// - Returns: One checksum over the columns' checksums, and the bytes of the columns (decoded
    ///   bytes for compressed ones), every page of which the scan read.
    func scan(_ reader: ColFileReader) throws -> (checksum: UInt64, bytesTouched: Int) {
        let pageSize = Machine.pageSize
        var total = ColumnChecksum()
        var bytes = 0
        for info in try chosenColumns(of: reader) {
            let stride = sampling.rowStride(for: info, pageSize: pageSize)
            total.add(bytesOf: try ColumnChecksum.of(column: info.name, in: reader, rowStride: stride).value)
            bytes += Int(info.rawBytes)
        }
        return (total.value, bytes)
    }
}
