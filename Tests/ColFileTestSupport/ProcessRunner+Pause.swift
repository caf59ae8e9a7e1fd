import Foundation
import Subprocess
import SystemPackage

extension ProcessRunner {
    /// Runs the executable at `path` with `arguments`; as soon as `/proc/PID/maps` shows that it
    /// maps `mappedFile`, stops it (SIGSTOP), runs `whilePaused` (e.g. truncates the file under it)
    /// and lets it go on (SIGCONT), then waits for it to exit.
    ///
    /// - Returns: What the process left behind (exit status 128 + the signal for a process killed
    ///   by one), and whether it was caught mapping the file (false when it exited first).
    /// - Throws: When the process cannot be started, or `whilePaused` throws (the process is let
    ///   go on first).
    public static func run(_ path: String, _ arguments: [String], pausingOnceItMaps mappedFile: String,
                           whilePaused: @escaping @Sendable () throws -> Void) async throws
        -> (output: ProcessOutput, paused: Bool) {
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments), input: .none,
            output: .string(limit: outputLimit), error: .string(limit: outputLimit)
        ) { execution in
            let pid = execution.processIdentifier.value
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                guard let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8) else { return false }
                if maps.contains(mappedFile) {
                    kill(pid, SIGSTOP)
                    defer { kill(pid, SIGCONT) }
                    try whilePaused()
                    return true
                }
                try await Task.sleep(for: .microseconds(200))
            }
            return false
        }
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return (ProcessOutput(exitCode: exitCode, standardOutput: result.standardOutput,
                              standardError: result.standardError), result.closureResult)
    }
}
