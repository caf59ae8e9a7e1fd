import ColFile
import FoundationEssentials
import Glibc

extension BenchCommand {
    /// Columns of the wide file (`attachMicrosWide`).
    static let wideColumns = 10_000

    /// Attach figures, each beside the kernel's floor measured in the same run on the same file:
    /// - `attachMicrosSmall`, `attachMicrosLarge`: `ColFileReader.open(path).column("x")` and its
    ///   first value, on the 10 MB file and on the N-row file;
    /// - `attachMicrosWide`: the same on a file of 10,000 Int64 columns of 100 rows, asking for the
    ///   last column by name (`column("c9999")`): open checks the directory's CRC-32 and the name
    ///   index, the column's record is checked on this first use (Specification.md §9);
    /// - `attachFloorMicros*`: `open` + `fstat` + `mmap` + a load of the first value + `munmap` +
    ///   `close` on the same file and value, straight system calls (what C pays,
    ///   Tools/bench/attach-floor.c), the mapping where the kernel places it (the reader asks for a
    ///   placement whose unmap is cheaper, `MappingPlacement`; the floor does not);
    /// - `attachOverFloor*`: the median of the per-pair ratios (attach sample / the floor's sample
    ///   right after it), which cancels the machine's drift between pairs.
    ///
    /// 100 attaches per sample; the samples of an attach and of its floor alternate (each after one
    /// untimed warm-up run); the report's `ratios` are of their medians.
    func measureAttach(smallPath: String, largePath: String, folder: String, report: inout BenchReport,
                       stopwatch: Stopwatch) throws {
        let widePath = folder + "/colfile-bench-wide.col"
        defer { try? FileManager.default.removeItem(atPath: widePath) }
        let writer = try ColFileWriter(path: widePath, options: ColFileWriter.Options(syncsToDisk: false))
        let wideValues = (0..<100).map { Int64($0) }
        for column in 0..<Self.wideColumns { try writer.addColumn("c\(column)", wideValues) }
        try writer.finish()
        Self.settle()
        let cases = [("Small", smallPath, "x"), ("Large", largePath, "x"), ("Wide", widePath, "c\(Self.wideColumns - 1)")]
        for (suffix, path, column) in cases {
            let offset = try ColFileReader.open(path).info(column).buffers.first { $0.role == .values }!.offset
            // Samples alternate, attach then floor, so that both meet the same load.
            var attach: [Double] = []
            var floor: [Double] = []
            for _ in 0..<repetitions {
                attach += try stopwatch.measure(1) {
                    try (0..<100).reduce(0.0) { total, _ in total + (try firstValue(path, column: column)) }
                }
                floor += try stopwatch.measure(1) {
                    try (0..<100).reduce(0.0) { total, _ in total + (try Self.floorValue(path, offset: Int(offset))) }
                }
            }
            report.add("attachMicros" + suffix, attach.map { $0 / 100 * 1e6 }, unit: "µs", lowerIsBetter: true,
                       note: "open + validate + column(\"\(column)\") + first value")
            report.add("attachFloorMicros" + suffix, floor.map { $0 / 100 * 1e6 }, unit: "µs", lowerIsBetter: true,
                       note: "open + fstat + mmap + first value + munmap + close, the same file")
            report.add("attachOverFloor" + suffix, zip(attach, floor).map { $0 / $1 }, unit: "×", lowerIsBetter: true,
                       note: "attach time / the kernel floor's, median of alternating pairs")
        }
    }

    /// The first value of column `column` of the file at `path`, through a new reader.
    func firstValue(_ path: String, column: String) throws -> Double {
        let reader = try ColFileReader.open(path)
        return column == "x" ? try reader.column("x", as: Double.self).storedValue(at: 0)
            : Double(try reader.column(column, as: Int64.self).storedValue(at: 0))
    }

    /// The kernel's floor under an attach: the 8 bytes at `offset` of the file at `path` through a
    /// new mapping, with nothing else (no checks, no allocations).
    static func floorValue(_ path: String, offset: Int) throws -> Double {
        let fd = unsafe open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var info = stat()
        guard unsafe fstat(fd, &info) == 0 else { throw POSIXError(.EIO) }
        let size = Int(info.st_size)
        guard let base = unsafe mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), unsafe base != MAP_FAILED else {
            throw POSIXError(.EIO)
        }
        let value = unsafe base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        unsafe munmap(base, size)
        return Double(value & 0xFF)
    }
}
