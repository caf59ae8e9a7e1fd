import ColFile
import FoundationEssentials

extension BenchCommand {
    /// `sharingRatio` and `coldSharingRatio`: the multiprocess harness (``HarnessCommand``) with 4
    /// reader processes scanning the N-row Float64 column `x`, mapped from the file and, in a second
    /// file, stored compressed and decoded once into the shared cache every worker maps.
    /// Σ(Pss after the scan − Pss before opening) ÷ bytes one worker touched: 1 when the processes
    /// share one copy, 4 when each holds its own.
    func measureSharing(largePath: String, values: [Double], folder: String, report: inout BenchReport) async throws {
        let coldPath = folder + "/colfile-bench-cold-large.col"
        let cache = folder + "/colfile-bench-sharing-cache"
        defer {
            if !keep { try? FileManager.default.removeItem(atPath: coldPath) }
            try? FileManager.default.removeItem(atPath: cache)
        }
        let writer = try ColFileWriter(path: coldPath, options: ColFileWriter.Options(syncsToDisk: false))
        writer.defaultCompression = .zstd()
        try writer.addColumn("x", values)
        try writer.finish()
        for (name, path, note) in [
            ("sharingRatio", largePath, "4 processes scan x through the mapping: Σ Pss growth / bytes touched"),
            ("coldSharingRatio", coldPath, "the same, x stored zstd-compressed and decoded once into the shared cache"),
        ] {
            var ratios: [Double] = []
            for _ in 0..<repetitions {
                let harness = try HarnessCommand.parse([path, "--columns", "x", "--cache-dir", cache])
                let result = try await harness.measure(file: path, processes: 4, mode: .shared)
                guard result.passed else {
                    throw ColFileError(.io, path: path,
                                       message: "the sharing harness failed: \(result.failures.first ?? "checksums disagree")")
                }
                ratios.append(result.sharingRatio)
            }
            report.add(name, ratios, unit: "", lowerIsBetter: true, note: note)
        }
    }
}
