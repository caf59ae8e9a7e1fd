import ArgumentParser

/// The end of `colfile demo`: `colfile harness` on the sample file, shared then copy, summed up
/// in a few lines.
enum DemoSharing {
    /// The numeric columns the harness scans (String columns would be hashed row by row).
    static let columns = "id,price,qty,ts,day,embedding"

    /// Runs the harness with `processes` workers in both modes on `file` and prints the comparison.
    ///
    /// - Throws: When the workers cannot be started; a failed run is reported, not thrown.
    static func run(file: String, processes: Int) async throws {
        let harness = try HarnessCommand.parse(["--processes", String(processes), "--columns", columns,
                                                 "--checksum", "pages", file])
        print("")
        print("  \(processes) reader processes (colfile harness \(file) --processes \(processes) --columns \(columns)):")
        var table = TextTable([("mode", .left), ("total Pss", .right), ("sharing ratio", .right), ("", .left)])
        for mode in HarnessMode.allCases {
            let report = try await harness.measure(file: file, processes: processes, mode: mode)
            let verdict = !report.passed ? "FAILED: " + (report.failures.first ?? "checksums disagree")
                : mode == .shared ? "mapped: the processes share one copy of the data"
                : "read into memory: each process holds its own copy of the whole file"
            table.rows.append([mode.rawValue, HarnessReport.mebibytes(report.totalPssKiB),
                               TextFormatting.fixed(report.sharingRatio, digits: 2), verdict])
        }
        print(table.lines(indent: "    ").joined(separator: "\n"))
        print("")
    }
}
