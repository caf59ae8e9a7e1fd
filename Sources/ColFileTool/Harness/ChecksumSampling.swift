import ArgumentParser
import ColFile

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
