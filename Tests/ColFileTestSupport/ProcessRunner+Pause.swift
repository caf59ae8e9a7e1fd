import Foundation
import Subprocess
import SystemPackage

extension ProcessRunner {
    /// Runs the executable at `path` with `arguments`, stopped before it starts (a shell stops
    /// itself with SIGSTOP, then `exec`s it) and then let run in slices of about 100 µs (SIGCONT,
    /// SIGSTOP) until `/proc/PID/maps` shows that it maps `mappedFile`; then runs `whilePaused`
    /// (e.g. truncates the file under it), lets it go on and waits for it to exit. Stepping, rather
    /// than watching a running process, catches the mapping before the process has read much of it
    /// however loaded the machine is, and however late this task gets to run.
    ///
    /// - Returns: What the process left behind (exit status 128 + the signal for a process killed
    ///   by one), and whether it was caught mapping the file (false when it exited first).
    /// - Throws: When the process cannot be started, or `whilePaused` throws (the process is let
    ///   go on first).
    public static func run(_ path: String, _ arguments: [String], pausingOnceItMaps mappedFile: String,
                           whilePaused: @escaping @Sendable () throws -> Void) async throws
        -> (output: ProcessOutput, paused: Bool) {
        let result = try await Subprocess.run(
            .path(FilePath("/bin/sh")), arguments: Arguments(["-c", "kill -STOP $$; exec \"$0\" \"$@\"", path] + arguments),
            input: .none,
            output: .string(limit: outputLimit), error: .string(limit: outputLimit)
        ) { execution in
            let pid = execution.processIdentifier.value
            defer { kill(pid, SIGCONT) }
            while waitUntilStopped(pid) {
                guard let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8) else { return false }
                if maps.contains(mappedFile) {
                    try whilePaused()
                    return true
                }
                kill(pid, SIGCONT)
                usleep(100)
                kill(pid, SIGSTOP)
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

    /// Waits until process `pid` is stopped (state `T` in `/proc/PID/stat`): true, or false when it
    /// exited (no such process, or a zombie).
    private static func waitUntilStopped(_ pid: pid_t) -> Bool {
        while true {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let state = stat[stat.index(close, offsetBy: 2)...].first
            if state == "T" || state == "t" { return true }
            if state == "Z" || state == "X" { return false }
            usleep(20)
        }
    }
}
