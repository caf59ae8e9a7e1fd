import Subprocess
import SystemPackage

/// What a finished child process left behind.
public struct ProcessOutput: Sendable, Equatable {
    /// The exit status; for a process killed by a signal, 128 + the signal number (as shells report it).
    public var exitCode: Int32
    /// Everything the process wrote to standard output.
    public var standardOutput: String
    /// Everything the process wrote to standard error.
    public var standardError: String

    /// The lines of standard output, without the empty string after a final newline.
    public var outputLines: [String] { Self.lines(standardOutput) }
    /// The lines of standard error, without the empty string after a final newline.
    public var errorLines: [String] { Self.lines(standardError) }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Runs executables as child processes (with swift-subprocess) and collects their output.
public enum ProcessRunner {
    /// The most bytes collected from each of standard output and standard error.
    public static let outputLimit = 1 << 20

    /// Runs the executable at `path` with `arguments`, this process's environment updated with
    /// `environment`, and waits for it to exit.
    ///
    /// - Throws: When the process cannot be started, or writes more than ``outputLimit`` bytes.
    public static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> ProcessOutput {
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments),
            environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map {
                (Environment.Key(stringLiteral: $0.key), Optional($0.value))
            })),
            output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return ProcessOutput(exitCode: exitCode, standardOutput: result.standardOutput,
                             standardError: result.standardError)
    }

    /// Runs the executable at `path` with `arguments`, reading its standard output as it comes:
    /// `onFirstOutput` runs once after the first bytes arrive (the process, its pipe soon full,
    /// waits meanwhile); the output is counted, not kept.
    ///
    /// - Returns: The exit status (128 + the signal for a process killed by one), the bytes of
    ///   standard output, and standard error.
    public static func run(_ path: String, _ arguments: [String], onFirstOutput: () throws -> Void) async throws
        -> (exitCode: Int32, outputBytes: Int, standardError: String) {
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments), input: .none, output: .sequence,
            error: .string(limit: outputLimit)
        ) { execution in
            var bytes = 0
            for try await chunk in execution.standardOutput {
                if bytes == 0 { try onFirstOutput() }
                bytes += chunk.count
            }
            return bytes
        }
        let exitCode: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return (exitCode, result.closureResult, result.standardError)
    }

    /// Runs the `colfile` tool built beside the tests.
    public static func colfile(_ arguments: String...) async throws -> ProcessOutput {
        try await run(RepositoryPaths.executable("colfile"), arguments)
    }
}
