import FoundationEssentials

/// The result of one `colfile harness` run: every worker's figures and the totals over them, as
/// `--json` prints it (keys sorted).
struct HarnessReport: Encodable {
    /// The number of workers started.
    var processes: Int
    /// How the workers held the file.
    var mode: HarnessMode
    /// The file measured.
    var file: String
    /// The size of the file.
    var fileBytes: Int
    /// Bytes of the chosen columns each worker touched (decoded bytes for compressed columns).
    var bytesTouched: Int
    /// The reports of the workers that succeeded, in worker order.
    var workers: [WorkerReport]
    /// One line for each worker that failed.
    var failures: [String]
    /// The sum of every worker's Pss after the scan.
    var totalPssKiB: Int
    /// Σ (Pss after the scan − Pss before opening) ÷ bytes touched: about 1 when the workers share
    /// one copy of the data, about the number of workers when each holds its own.
    var sharingRatio: Double
    /// Whether every worker computed the same checksum (and there was at least one).
    var checksumsAgree: Bool

    /// Builds the report from the workers' outcomes; workers the harness killed on purpose are
    /// left out of the figures and are not failures.
    init(processes: Int, mode: HarnessMode, file: String, outcomes: [WorkerOutcome]) {
        self.processes = processes
        self.mode = mode
        self.file = file
        workers = outcomes.filter(\.succeeded).compactMap(\.report)
        failures = outcomes.filter { !$0.succeeded && !$0.killedByHarness }.map(\.failureDescription)
        fileBytes = workers.first?.fileBytes ?? 0
        bytesTouched = workers.first?.bytesTouched ?? 0
        totalPssKiB = workers.reduce(0) { $0 + $1.pssKiB }
        let growth = Double(workers.reduce(0) { $0 + $1.pssGrowthKiB }) * 1024
        sharingRatio = bytesTouched > 0 ? growth / Double(bytesTouched) : 0
        checksumsAgree = !workers.isEmpty && Set(workers.map(\.checksum)).count == 1
    }

    /// Whether the run passed: no worker failed and the checksums agree.
    var passed: Bool { failures.isEmpty && checksumsAgree }

    /// The JSON object `--json` prints (keys sorted).
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A table with one row per worker, then the totals.
    func table() -> String {
        var table = TextTable([
            ("pid", .right), ("open", .right), ("scan", .right), ("Pss before", .right), ("Rss", .right),
            ("Pss", .right), ("Shared_Clean", .right), ("Private_Clean", .right), ("Private_Dirty", .right),
            ("checksum", .left),
        ])
        for worker in workers {
            table.rows.append([
                String(worker.pid), TextFormatting.fixed(Double(worker.openMicros) / 1e3, digits: 2) + " ms",
                TextFormatting.fixed(worker.scanMillis, digits: 0) + " ms", Self.mebibytes(worker.pssBeforeKiB),
                Self.mebibytes(worker.rssKiB), Self.mebibytes(worker.pssKiB), Self.mebibytes(worker.sharedCleanKiB),
                Self.mebibytes(worker.privateCleanKiB), Self.mebibytes(worker.privateDirtyKiB), worker.checksum,
            ])
        }
        var lines = ["colfile harness: \(processes) processes, mode \(mode.rawValue), \(file) "
                     + "(\(TextFormatting.bytes(fileBytes)))"]
        lines += table.lines(indent: "  ")
        lines.append("  total Pss \(Self.mebibytes(totalPssKiB)); bytes touched per process "
                     + "\(TextFormatting.bytes(bytesTouched)); sharing ratio \(TextFormatting.fixed(sharingRatio, digits: 2)) "
                     + "(≈1: one shared copy, ≈\(processes): one copy each)")
        lines.append("  checksums " + (checksumsAgree ? "agree" : "DISAGREE"))
        lines += failures.map { "  FAILED: " + $0 }
        return lines.joined(separator: "\n")
    }

    /// `kib` KiB as MiB with one decimal.
    static func mebibytes(_ kib: Int) -> String {
        TextFormatting.fixed(Double(kib) / 1024, digits: 1) + " MiB"
    }
}
