import ColFile
import FoundationEssentials
import Glibc
import Synchronization

extension HarnessScenario {
    /// *writer killed*: version 0 of a ``VersionedFile`` is published in a scratch folder; then,
    /// `--runs` times, a `harness-writer` process starts the next version and is killed with
    /// SIGKILL a seeded random time after its temporary file exists (up to 1.5 × the time a whole
    /// write took). After each kill the target must open and verify as the previous version or
    /// the new one. With O_TMPFILE no temporary file may be left; with `--named-temporary` the
    /// leftovers must be recognisable (`.NAME.colfile-tmp-PID-RANDOM`) and `colfile clean`'s
    /// ``StaleTemporaryFiles`` must remove them all.
    static func writerKilled(_ command: HarnessCommand) async throws -> ScenarioResult {
        let scratch = try ScratchFolder("writer-killed", in: command.dir)
        let name = "target.col"
        let path = scratch.file(name)
        let rows = command.rows
        var result = ScenarioResult(scenario: .writerKilled)
        var generator = SplitMix64(seed: command.seed)
        try VersionedFile.write(version: 0, rows: rows, to: path)

        func writer(_ version: Int) -> [String] {
            ["harness-writer", "--first", String(version), "--last", String(version), "--rows", String(rows)]
                + (command.namedTemporary ? ["--named-temporary"] : []) + [path]
        }
        // One whole write, timed from its temporary file to its rename, sets the range of kill moments.
        let clock = ContinuousClock()
        let started = Mutex(clock.now)
        let timing = try await HelperProcess.run(writer(1)) { line in
            if line.hasPrefix("writing ") { started.withLock { $0 = clock.now } }
            return .proceed
        }
        let writeTime = clock.now - started.withLock { $0 }
        result.expect(timing.exitCode == 0, "the timing writer failed: \(timing.why)")
        var current = 1
        var keptPrevious = 0
        var publishedNew = 0
        for run in 1...command.runs {
            let delay = writeTime * Double.random(in: 0...1.5, using: &generator)
            let outcome = try await HelperProcess.run(writer(current + 1)) { line in
                line.hasPrefix("writing ") ? .kill(after: delay) : .proceed
            }
            let where_ = "run \(run) (seed \(command.seed), kill after \(delay))"
            result.expect(outcome.exitCode == 0 || outcome.exitCode == 128 + SIGKILL,
                          "\(where_): the writer failed: \(outcome.why)")
            do {
                let version = try VersionedFile.check(try ColFileReader.open(path), rows: rows)
                result.expect(version == current || version == current + 1,
                              "\(where_): the target holds version \(version), expected \(current) or \(current + 1)")
                if version == current + 1 { publishedNew += 1 } else { keptPrevious += 1 }
                current = version
            } catch {
                result.failures.append("\(where_): the target does not hold a complete version: \(error)")
                break
            }
        }
        let leftovers = try StaleTemporaryFiles.candidates(in: scratch.path)
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        result.expect(Set(entries).subtracting(leftovers.map(\.name)) == [name],
                      "unrecognised files beside the target: \(entries.sorted())")
        if !command.namedTemporary {
            result.expect(leftovers.isEmpty, "O_TMPFILE writers left temporary files: \(leftovers.map(\.name))")
        }
        let removed = try StaleTemporaryFiles.clean(scratch.path)
        let remaining = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        result.expect(remaining == [name], "after cleaning, the folder holds \(remaining.sorted())")
        result.note("seed", command.seed)
        result.note("runs", command.runs)
        result.note("namedTemporary", command.namedTemporary)
        result.note("keptPrevious", keptPrevious)
        result.note("publishedNew", publishedNew)
        result.note("leftoversFound", leftovers.count)
        result.note("leftoversCleaned", removed.count)
        return result
    }
}
