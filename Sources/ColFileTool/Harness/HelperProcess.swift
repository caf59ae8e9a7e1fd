import Subprocess
import SystemPackage

/// Runs this `colfile` executable as a helper process (a scenario's writer or reader loop) and
/// reacts to each line it prints.
enum HelperProcess {
    /// What to do after a line of standard output.
    enum LineAction: Sendable {
        /// Keep reading.
        case proceed
        /// Wait this long, then kill the process with SIGKILL (if it still runs).
        case kill(after: Duration)
    }

    /// How a helper process ended.
    struct Outcome: Sendable {
        /// Its process id.
        var pid: Int32
        /// Its exit status, or 128 + the signal that ended it.
        var exitCode: Int32
        /// Its standard output, line by line.
        var lines: [String]
        /// Its standard error.
        var standardError: String
        /// Whether the harness sent it SIGKILL.
        var killed: Bool

        /// The first line of standard error, or the exit status, for failure messages.
        var why: String {
            standardError.split(separator: "\n").first.map(String.init) ?? "exit status \(exitCode)"
        }
    }

    /// Runs `colfile ARGUMENTS` to its end; `onLine` sees each line of its standard output.
    ///
    /// - Throws: When the process cannot be started.
    static func run(_ arguments: [String], onLine: @escaping @Sendable (String) async -> LineAction = { _ in .proceed })
        async throws -> Outcome {
        let result = try await Subprocess.run(
            .path(FilePath(WorkerPool.executable)), arguments: Arguments(arguments),
            input: .none, output: .sequence, error: .string(limit: 1 << 16)
        ) { execution in
            var lines: [String] = []
            var killed = false
            do {
                for try await line in execution.standardOutput.strings() {
                    lines.append(line)
                    if case .kill(let delay) = await onLine(line), !killed {
                        try? await Task.sleep(for: delay)
                        try? execution.send(signal: .kill)
                        killed = true
                    }
                }
            } catch {
                // Output ended abnormally; the exit status says why.
            }
            return (lines, killed, execution.processIdentifier.value)
        }
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        let (lines, killed, pid) = result.closureResult
        return Outcome(pid: pid, exitCode: exitCode, lines: lines, standardError: result.standardError,
                       killed: killed)
    }
}
