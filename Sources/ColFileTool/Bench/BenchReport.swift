import ColFile
import FoundationEssentials

/// The figures of one `colfile bench` run: medians with the best run beside them.
struct BenchReport {
    /// One measured figure.
    struct Figure {
        var name: String
        var median: Double
        var best: Double
        var unit: String
        var note: String
    }

    /// Rows of the large column.
    var rows: Int
    /// Runs per figure.
    var repetitions: Int
    private(set) var figures: [Figure] = []
    /// The sum of all measured results (printed so that no measured work can be optimized away).
    var consumed = 0.0

    init(rows: Int, repetitions: Int) {
        self.rows = rows
        self.repetitions = repetitions
    }

    /// Adds a figure from its samples; `lowerIsBetter` picks the best sample.
    mutating func add(_ name: String, _ samples: [Double], unit: String, lowerIsBetter: Bool = false, note: String) {
        let sorted = samples.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        figures.append(Figure(name: name, median: median, best: lowerIsBetter ? sorted.first! : sorted.last!,
                              unit: unit, note: note))
    }

    private func value(_ name: String) -> Double? { figures.first { $0.name == name }?.median }

    /// Ratios between figures measured in this run.
    var ratios: [(String, Double)] {
        var result: [(String, Double)] = []
        if let scan = value("scanGBps"), let array = value("arrayScanGBps") {
            result.append(("scan / array scan", scan / array))
        }
        if let scan = value("scanGBps"), let copy = value("memcpyGBps") { result.append(("scan / memcpy", scan / copy)) }
        if let loop = value("elementLoopGBps"), let array = value("arrayElementLoopGBps") {
            result.append(("element loop / array element loop", loop / array))
        }
        if let cached = value("writeGBps"), let synced = value("writeSyncedGBps") {
            result.append(("write to page cache / write with fsync", cached / synced))
        }
        if let cached = value("writeGBps"), let named = value("writeNamedGBps") {
            result.append(("write, named temporary file / unnamed", named / cached))
        }
        if let decode = value("zlibDecodeMBps"), let zlib = value("zlibReferenceMBps") {
            result.append(("colfile decode / zlib uncompress", decode / zlib))
        }
        if let small = value("attachMicrosSmall"), let large = value("attachMicrosLarge") {
            result.append(("attach large / attach small", large / small))
        }
        if let wide = value("importWideMBps"), let narrow = value("importNarrowMBps") {
            result.append(("import wide / import narrow (same bytes)", wide / narrow))
        }
        for suffix in ["Small", "Large", "Wide"] {
            if let attach = value("attachMicros" + suffix), let floor = value("attachFloorMicros" + suffix) {
                result.append(("attach \(suffix.lowercased()) / kernel floor", attach / floor))
            }
        }
        return result
    }

    /// The machine, for the record.
    static var machine: String {
        let cpu = (try? Syscalls.smallTextFile("/proc/cpuinfo"))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last.map { String(TextFormatting.trimmed($0)) } ?? "unknown CPU"
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    /// How this executable was compiled.
    static var buildConfiguration: String {
        #if DEBUG
        "debug build"
        #else
        "release build"
        #endif
    }

    /// An aligned text table.
    func table() -> String {
        var lines = ["colfile bench: \(rows) rows, median of \(repetitions) (best in brackets); \(Self.machine); \(Self.buildConfiguration)"]
        let width = figures.map(\.name.count).max() ?? 0
        for figure in figures {
            let name = figure.name + String(repeating: " ", count: width - figure.name.count)
            lines.append("  \(name)  \(format(figure.median)) \(figure.unit)  [\(format(figure.best))]  \(figure.note)")
        }
        for (name, ratio) in ratios { lines.append("  ratio \(name): \(format(ratio))") }
        lines.append("  (sum of measured results: \(consumed))")
        return lines.joined(separator: "\n")
    }

    /// One JSON object: the figures' medians by name, plus `<name>Best`, the machine and ratios.
    func json() -> String {
        var object: [String: any JSONRepresentable] = [
            "rows": rows, "repetitions": repetitions, "machine": Self.machine,
            "build": Self.buildConfiguration, "consumed": consumed,
        ]
        for figure in figures {
            object[figure.name] = figure.median
            object[figure.name + "Best"] = figure.best
        }
        object["ratios"] = Dictionary(uniqueKeysWithValues: ratios)
        return (try? JSONText.sorted(JSONValue(object))) ?? ""
    }

    private func format(_ value: Double) -> String {
        TextFormatting.fixed(value, digits: value >= 100 ? 0 : value >= 10 ? 1 : 2)
    }
}
