import ArgumentParser
import ColFile
import Glibc

/// How a harness worker holds the file.
enum HarnessMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `mmap(MAP_SHARED)` through ``ColFileReader/open(_:options:)``: every worker reads the same
    /// page-cache pages, and compressed columns are decoded once into the shared cache.
    case shared
    /// The whole file read into the worker's own memory, compressed columns decoded privately: the
    /// baseline of a program that loads its data with `read()`.
    case copy
}

/// Which values a worker hashes.
enum ChecksumSampling: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Every value of every chosen column.
    case all
    /// One row per page of each fixed-width or Bool column (every row of String and Binary
    /// columns): still every page of every buffer is read, so the memory figures are those of a
    /// full scan, at a fraction of the time in a debug build.
    case pages

    /// The row stride that hashes one row per `pageSize` bytes of the column's widest buffer.
    func rowStride(for info: ColumnInfo, pageSize: Int) -> Int {
        guard self == .pages else { return 1 }
        if info.physicalType == .bool { return pageSize * 8 }
        guard let size = info.physicalType.elementSize else { return 1 }
        return max(1, pageSize / (size * max(1, info.valuesPerRow)))
    }
}

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
        guard let columns else { return reader.columns }
        return try columns.map { try reader.info($0) }
    }

    /// Hashes the chosen columns.
    ///
    /// - Returns: One checksum over the columns' checksums, and the bytes of the columns (decoded
    ///   bytes for compressed ones), every page of which the scan read.
    func scan(_ reader: ColFileReader) throws -> (checksum: UInt64, bytesTouched: Int) {
        let pageSize = Int(sysconf(CInt(_SC_PAGESIZE)))
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
