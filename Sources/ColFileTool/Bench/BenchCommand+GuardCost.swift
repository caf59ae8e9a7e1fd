import ColFile
import FoundationEssentials
import Synchronization

extension BenchCommand {
    /// `--guard-cost`: what the SIGBUS guard of file mappings costs (BENCHMARKS.md, "The SIGBUS
    /// guard"). The same measurements run with the guard off and on, alternating within each
    /// repetition so that both see the same machine: attach + first value of a 10 MB and an
    /// N-row file (100 attaches per sample), a new mapping's first sum (page faults), and a sum
    /// through a mapped view. Figures are `…GuardOff` and `…GuardOn`.
    func measureGuardCost(folder: String, report: inout BenchReport, stopwatch: Stopwatch) throws {
        let largePath = folder + "/colfile-bench-guard-large.col"
        let smallPath = folder + "/colfile-bench-guard-small.col"
        defer {
            try? FileManager.default.removeItem(atPath: largePath)
            try? FileManager.default.removeItem(atPath: smallPath)
            MappingGuard.isEnabled.store(true, ordering: .relaxed)
        }
        let values = (0..<rows).map { Double($0 % 1000) * 0.5 }
        for (path, count) in [(largePath, rows), (smallPath, 10_000_000 / 8)] {
            let writer = try ColFileWriter(path: path)
            try writer.addColumn("x", Array(values.prefix(count)))
            try writer.finish()
        }
        Self.settle()
        let bytes = Double(rows * 8)
        let settings = [("GuardOff", false), ("GuardOn", true)]
        var samples: [String: [Double]] = [:]
        for _ in 0..<repetitions {
            for (suffix, enabled) in settings {
                MappingGuard.isEnabled.store(enabled, ordering: .relaxed)
                for (name, path) in [("attachMicrosSmall", smallPath), ("attachMicrosLarge", largePath)] {
                    let attach = try stopwatch.measure(1) {
                        try (0..<100).reduce(0.0) { total, _ in
                            total + (try ColFileReader.open(path).column("x", as: Double.self).storedValue(at: 0))
                        }
                    }
                    samples[name + suffix, default: []] += attach.map { $0 / 100 * 1e6 }
                }
                let reader = try ColFileReader.open(largePath)
                let column = try reader.column("x", as: Double.self)
                let firstTouch = stopwatch.measure(1) { column.sum() }
                samples["firstTouchMillis" + suffix, default: []] += firstTouch.map { $0 * 1e3 }
                let scan = stopwatch.measure(1) { column.sum() }
                samples["scanGBps" + suffix, default: []] += scan.map { bytes / $0 / 1e9 }
            }
        }
        for name in ["attachMicrosSmall", "attachMicrosLarge", "firstTouchMillis", "scanGBps"] {
            for (suffix, _) in settings {
                let unit = name.hasPrefix("attach") ? "µs" : name.hasPrefix("first") ? "ms" : "GB/s"
                report.add(name + suffix, samples[name + suffix] ?? [], unit: unit, lowerIsBetter: unit != "GB/s",
                           note: "guard \(suffix == "GuardOn" ? "on" : "off")")
            }
        }
    }
}
