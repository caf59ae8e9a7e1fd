/// What a scenario found: facts for the record and the checks that failed.
struct ScenarioResult {
    /// The scenario.
    var scenario: HarnessScenario
    /// Named figures, in the order they were added (e.g. `opens`, `sharingRatio`): the name, the
    /// figure as text, and as JSON.
    var facts: [(name: String, text: String, json: JSONValue)] = []
    /// One line per failed check; empty when the scenario passed.
    var failures: [String] = []
    /// The harness report of the scenario's main run, if it had one.
    var report: HarnessReport?

    /// Whether every check passed.
    var passed: Bool { failures.isEmpty }

    /// Records a figure.
    mutating func note(_ name: String, _ value: some JSONRepresentable) {
        facts.append((name, "\(value)", value.jsonValue))
    }

    /// Records a failed check unless `condition` holds.
    mutating func expect(_ condition: Bool, _ failure: @autoclosure () -> String) {
        if !condition { failures.append(failure()) }
    }

    /// The result for people: the report's table (if any), the facts, then PASSED or the failures.
    func text() -> String {
        var lines = ["colfile harness --scenario \(scenario.rawValue)"]
        if let report { lines.append(report.table()) }
        lines += facts.map { "  \($0.name): \($0.text)" }
        lines += passed ? ["  PASSED"] : failures.map { "  FAILED: " + $0 }
        return lines.joined(separator: "\n")
    }

    /// One JSON object: `scenario`, `passed`, `failures`, the facts by name, and `harness` (the
    /// report's JSON object) when there is a report.
    func json() throws -> String {
        var object: [String: JSONValue] = [
            "scenario": .string(scenario.rawValue), "passed": .bool(passed), "failures": failures.jsonValue,
        ]
        for fact in facts { object[fact.name] = fact.json }
        if let report { object["harness"] = try JSONText.parse(try report.json()) }
        return try JSONText.sorted(.object(object))
    }
}
