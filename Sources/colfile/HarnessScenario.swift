import ArgumentParser
import Foundation

/// The fault scenarios `colfile harness --scenario NAME` runs, each with real processes.
enum HarnessScenario: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// A writer publishes new versions while readers reopen the file.
    case republish
    /// Writers killed with SIGKILL at seeded random moments.
    case writerKilled = "writer-killed"
    /// One reader killed mid-scan.
    case readerKilled = "reader-killed"
    /// The file deleted while readers map it.
    case unlinked
    /// 32 readers attach at once.
    case manyReaders = "many-readers"

    /// Whether the scenario writes its own files (and needs no FILE argument).
    var makesItsOwnFile: Bool { self == .republish || self == .writerKilled }

    /// Runs the scenario with `command`'s options.
    func run(_ command: HarnessCommand) async throws -> ScenarioResult {
        switch self {
        case .republish: try await Self.republish(command)
        case .writerKilled: try await Self.writerKilled(command)
        case .readerKilled: try await Self.readerKilled(command, file: command.file!)
        case .unlinked: try await Self.unlinked(command, file: command.file!)
        case .manyReaders: try await Self.manyReaders(command, file: command.file!)
        }
    }
}

/// What a scenario found: facts for the record and the checks that failed.
struct ScenarioResult {
    /// The scenario.
    var scenario: HarnessScenario
    /// Named figures, in the order they were added (e.g. `opens`, `sharingRatio`).
    var facts: [(String, Any)] = []
    /// One line per failed check; empty when the scenario passed.
    var failures: [String] = []
    /// The harness report of the scenario's main run, if it had one.
    var report: HarnessReport?

    /// Whether every check passed.
    var passed: Bool { failures.isEmpty }

    /// Records a figure.
    mutating func note(_ name: String, _ value: Any) {
        facts.append((name, value))
    }

    /// Records a failed check unless `condition` holds.
    mutating func expect(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if !condition { failures.append(failure()) }
    }

    /// The result for people: the report's table (if any), the facts, then PASSED or the failures.
    func text() -> String {
        var lines = ["colfile harness --scenario \(scenario.rawValue)"]
        if let report { lines.append(report.table()) }
        lines += facts.map { "  \($0.0): \($0.1)" }
        lines += passed ? ["  PASSED"] : failures.map { "  FAILED: " + $0 }
        return lines.joined(separator: "\n")
    }

    /// One JSON object: `scenario`, `passed`, `failures`, the facts by name, and `harness` (the
    /// report's JSON object) when there is a report.
    func json() throws -> String {
        var object: [String: Any] = ["scenario": scenario.rawValue, "passed": passed, "failures": failures]
        for (name, value) in facts { object[name] = value }
        if let report {
            object["harness"] = try JSONSerialization.jsonObject(with: Data(try report.json().utf8))
        }
        let data = try JSONSerialization.data(withJSONObject: object,
                                              options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A fresh folder for a scenario's files inside `parent` (default: the temporary folder),
/// removed with its contents when the scenario ends.
final class ScratchFolder {
    /// The folder's path.
    let path: String

    /// Creates `PARENT/colfile-harness-NAME-PID-RANDOM`.
    init(_ name: String, in parent: String?) throws {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        path = "\(base)/colfile-harness-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { path + "/" + name }
}
