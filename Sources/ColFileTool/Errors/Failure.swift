import ArgumentParser
import ColFile
import ColFileCSV

/// The one way a failed `colfile` command ends: every error a subcommand throws reaches
/// ``ColFileCommand/main()``, which hands it here.
enum Failure {
    /// Prints `error` as one line on stderr, `colfile: <what went wrong>` (argument-parser's
    /// usage message for a command line it could not use), and exits with the status
    /// ``ExitStatus`` gives it.
    ///
    /// - ``ColFileError``, ``CSVError`` and ``ToolFailure``: their description, and the status of
    ///   their code or kind.
    /// - A usage error found by argument-parser: its message with the usage, status 2 (instead
    ///   of its own 64).
    /// - A help or version request, or an `ExitCode` thrown on purpose (a harness worker whose
    ///   harness went away): argument-parser's own handling.
    /// - Anything else (a file-system or process error from Foundation or Subprocess): its
    ///   description, status 2.
    static func exit(with error: any Error) -> Never {
        let line: String
        let status: ExitCode
        switch error {
        case let error as ColFileError:
            (line, status) = (error.description, ExitStatus.of(error.code))
        case let error as CSVError:
            (line, status) = (error.description, ExitStatus.of(error.kind))
        case let error as ToolFailure:
            (line, status) = (error.description, ExitStatus.of(error.kind))
        case is ExitCode, is CleanExit:
            ColFileCommand.exit(withError: error)
        default:
            switch ColFileCommand.exitCode(for: error) {
            case .validationFailure:
                StandardError.writeLine(ColFileCommand.fullMessage(for: error))
                ColFileCommand.exit(withError: ExitStatus.usageOrIO)
            case .success:
                ColFileCommand.exit(withError: error)
            default:
                (line, status) = ("\(error)", ExitStatus.usageOrIO)
            }
        }
        StandardError.writeErrorLine("colfile: " + line)
        ColFileCommand.exit(withError: status)
    }

    /// Ends the process as a ``ColFile/ColFileError/Code/fileChanged`` error when a file this
    /// process mapped was truncated or changed meanwhile (the first such file is named); returns
    /// otherwise.
    static func exitIfFilesChanged() {
        guard let path = ColFileReader.filesChangedWhileMapped().first else { return }
        exit(with: ColFileReader.changeError(path: path))
    }
}
