import ArgumentParser
import ColFile
import ColFileCSV

/// A failure of a `colfile` subcommand that is not a ``ColFileError``: bad CSV data, an unusable
/// option value, an unreadable input. Reported as one line on stderr with a documented exit status.
struct ToolFailure: Error, CustomStringConvertible {
    /// The sentence printed after `colfile: `, naming the file and what is wrong.
    var description: String
    /// ``ExitStatus/badFile`` for bad data, ``ExitStatus/usageOrIO`` for usage and I/O problems.
    var status: ExitCode

    /// A data problem (exit status 1).
    static func data(_ message: String) -> ToolFailure { ToolFailure(description: message, status: ExitStatus.badFile) }

    /// A usage or I/O problem (exit status 2).
    static func usage(_ message: String) -> ToolFailure {
        ToolFailure(description: message, status: ExitStatus.usageOrIO)
    }
}

/// Runs a subcommand's body, printing a ``ToolFailure`` as one stderr line and exiting with its
/// status (``ColFileError``s go on to the root command, which reports them the same way).
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as ToolFailure {
        StandardError.writeErrorLine("colfile: \(failure.description)")
        throw failure.status
    } catch let failure as CSVError {
        StandardError.writeErrorLine("colfile: \(failure.description)")
        switch failure.kind {
        case .invalidCSV, .noCSVForm: throw ExitStatus.badFile
        case .invalidOption, .io: throw ExitStatus.usageOrIO
        }
    }
}
