import ArgumentParser
import ColFile

/// The exit statuses of `colfile`, documented in the root command's discussion and the README.
enum ExitStatus {
    /// The file is bad: it is not a colfile file, or it breaks a rule of `Specification.md`.
    static let badFile = ExitCode(1)
    /// The command line is wrong (including an unknown column name), or a file could not be read
    /// or written (I/O).
    static let usageOrIO = ExitCode(2)

    /// The status for a colfile error: ``usageOrIO`` for system-call failures and for requests the
    /// file cannot satisfy (no such column, wrong type, invalid values to write), ``badFile`` for
    /// every check of the file's bytes.
    static func of(_ error: ColFileError) -> ExitCode {
        switch error.code {
        case .io, .noSuchColumn, .typeMismatch, .invalidArgument, .wouldDecode, .decodeLimitExceeded: usageOrIO
        default: badFile
        }
    }
}
