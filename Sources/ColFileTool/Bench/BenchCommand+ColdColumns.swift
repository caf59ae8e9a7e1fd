import ColFile
import FoundationEssentials

extension BenchCommand {
    /// The codecs a cold-column run compares, by the key prefix of their figures: zlib (format
    /// 1.1), zstd at its default level and chunk size (format 1.2), and zstd at levels 1 and 9.
    static let coldCodecs: [(key: String, compression: Compression, note: String)] = [
        ("zlib", .zlib(), "zlib level 6, 64 KiB chunks"),
        ("zstd", .zstd(), "zstd level 3, 128 KiB chunks (32 KiB for near-random data)"),
        ("zstd1", .zstd(level: 1), "zstd level 1, the same chunks"),
        ("zstd9", .zstd(level: 9), "zstd level 9, the same chunks"),
    ]

    /// Cold columns, codec by codec on the same three columns (`int` = i % 1000, `float` = random
    /// doubles, `text` = "symbol-(i % 500) order (i % 7)"): compression ratio, decode speed (one
    /// thread and all cores, every buffer of the column) against the codec library's own call on
    /// the same chunks, one random row; then attach to an already decoded column (default codec)
    /// against decoding it again.
    func measureColdColumns(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let coldRows = min(rows, 10_000_000)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let ints = (0..<coldRows).map { Int64($0 % 1000) }
        let floats = (0..<coldRows).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let texts = (0..<coldRows).map { "symbol-\($0 % 500) order \($0 % 7)" }
        for codec in Self.coldCodecs {
            let path = folder + "/colfile-bench-cold-\(codec.key).col"
            let cache = folder + "/colfile-bench-cache-\(codec.key)"
            defer {
                try? FileManager.default.removeItem(atPath: path)
                try? FileManager.default.removeItem(atPath: cache)
            }
            let writer = try ColFileWriter(path: path)
            writer.defaultCompression = codec.compression
            try writer.addColumn("int", ints)
            try writer.addColumn("float", floats)
            try writer.addColumn("text", texts)
            try writer.finish()
            let reader = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
            try measureDecoding(reader, codec: codec, report: &report, stopwatch: stopwatch)
            if codec.key == "zlib" || codec.key == "zstd" {
                let chunked = try reader.chunkedColumn("float")
                let randomRow = try stopwatch.measure(repetitions) {
                    var total = 0.0
                    for _ in 0..<200 {
                        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        total += try chunked.value(at: Int(state >> 33) % coldRows, as: Double.self) ?? 0
                    }
                    return total
                }
                report.add(codec.key == "zstd" ? "coldRandomRowMicros" : "zlibRandomRowMicros",
                           randomRow.map { $0 / 200 * 1e6 }, unit: "µs", lowerIsBetter: true,
                           note: "one random row of the cold Float64 column (one chunk decoded), \(codec.note)")
            }
            if codec.key == "zstd" {
                try measureColdAttach(path: path, cache: cache, report: &report, stopwatch: stopwatch)
            }
        }
    }

    /// Ratio and decode speed of every column of `reader`, and of the three together.
    private func measureDecoding(_ reader: ColFileReader, codec: (key: String, compression: Compression, note: String),
                                 report: inout BenchReport, stopwatch: Stopwatch) throws {
        var totals: [(stored: Double, raw: Double, colfile: [Double], parallel: [Double], library: [Double])] = []
        for name in ["int", "float", "text"] {
            var timings: [DecodeBenchmark.Timings] = []
            _ = try stopwatch.measure(repetitions) {
                timings.append(try DecodeBenchmark.time(reader, column: name))
                return 0
            }
            let raw = Double(timings[0].decodedBytes)
            totals.append((Double(timings[0].storedBytes), raw, timings.map(\.colfileSeconds),
                           timings.map(\.colfileParallelSeconds), timings.map(\.librarySeconds)))
            report.add("\(codec.key)CompressionRatio_\(name)", [Double(timings[0].storedBytes) / raw], unit: "",
                       lowerIsBetter: true, note: "stored / raw bytes, \(codec.note)")
            report.add("\(codec.key)DecodeMBps_\(name)", timings.map { raw / 1e6 / $0.colfileSeconds }, unit: "MB/s",
                       note: "colfile chunk decode, every buffer, 1 thread")
            if codec.key == "zlib" || codec.key == "zstd" {
                report.add("\(codec.key)DecodeCheckedMBps_\(name)", timings.map { raw / 1e6 / $0.colfileCheckedSeconds },
                           unit: "MB/s", note: "colfile chunk decode + chunk CRC-32 check, 1 thread")
            }
        }
        let raw = totals.reduce(0) { $0 + $1.raw } / 1e6
        let runs = 0..<repetitions
        func rate(_ seconds: (Int) -> Double) -> [Double] { runs.map { raw / seconds($0) } }
        report.add("\(codec.key)CompressionRatio", [totals.reduce(0) { $0 + $1.stored } / (raw * 1e6)], unit: "",
                   lowerIsBetter: true, note: "int + float + text: stored / raw bytes, \(codec.note)")
        report.add("\(codec.key)DecodeMBps", rate { run in totals.reduce(0) { $0 + $1.colfile[run] } }, unit: "MB/s",
                   note: "colfile chunk decode of int + float + text, 1 thread, \(codec.note)")
        report.add("\(codec.key)DecodeParallelMBps", rate { run in totals.reduce(0) { $0 + $1.parallel[run] } },
                   unit: "MB/s", note: "the same on every core")
        report.add("\(codec.key)ReferenceMBps", rate { run in totals.reduce(0) { $0 + $1.library[run] } },
                   unit: "MB/s", note: "the codec library's own one-shot call on the same chunks, 1 thread")
    }

    /// A decoded cold Int64 column made ready: by a new process mapping the cache entry, by later
    /// readers in the process, and by a new reader decoding it again.
    private func measureColdAttach(path: String, cache: String, report: inout BenchReport,
                                   stopwatch: Stopwatch) throws {
        _ = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache)).column("int", as: Int64.self)
        let firstAttach = try stopwatch.measure(repetitions) {
            ColdColumnCache.forgetCheckedEntries()
            let fresh = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
            return Double(try fresh.column("int", as: Int64.self).value(at: 1) ?? 0)
        }
        report.add("coldSharedFirstAttachMillis", firstAttach.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "first reader in a process: map the decoded entry + CRC-32 check")
        let sharedAttach = try stopwatch.measure(repetitions) {
            try (0..<20).reduce(0.0) { total, _ in
                let fresh = try ColFileReader.open(path, options: ReaderOptions(cacheFolder: cache))
                return total + Double(try fresh.column("int", as: Int64.self).value(at: 1) ?? 0)
            }
        }
        report.add("coldSharedAttachMicros", sharedAttach.map { $0 / 20 * 1e6 }, unit: "µs", lowerIsBetter: true,
                   note: "later readers in the process: map the checked entry, first value")
        let decodeAgain = try stopwatch.measure(repetitions) {
            let fresh = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .privateMemory))
            return Double(try fresh.column("int", as: Int64.self).value(at: 1) ?? 0)
        }
        report.add("coldDecodeAgainMillis", decodeAgain.map { $0 * 1e3 }, unit: "ms", lowerIsBetter: true,
                   note: "new reader, decode the Int64 column privately (all cores), first value")
    }
}
