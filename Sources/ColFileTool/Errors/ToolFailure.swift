/// A failure of a `colfile` subcommand that is neither a ``ColFile/ColFileError`` nor a
/// ``ColFileCSV/CSVError``: an unusable option value, standard output that cannot be written, a
/// harness check that failed. Like them it reaches the root command, which prints it as one line
/// on stderr and exits with its status (``Failure``).
struct ToolFailure: Error, CustomStringConvertible {
    /// What kind of failure it is; ``ExitStatus/of(_:)-(ToolFailure.Kind)`` gives its status.
    enum Kind: CaseIterable {
        /// An option value the command cannot use (exit status 2).
        case usage
        /// Reading or writing failed (exit status 2).
        case io
        /// A check of `colfile harness` failed (exit status 3).
        case checkFailed
    }

    /// What kind of failure it is.
    var kind: Kind
    /// The sentence printed after `colfile: `, naming what is wrong.
    var description: String

    /// A usage problem.
    static func usage(_ message: String) -> ToolFailure { ToolFailure(kind: .usage, description: message) }

    /// An I/O problem.
    static func io(_ message: String) -> ToolFailure { ToolFailure(kind: .io, description: message) }

    /// A failed harness check.
    static func checkFailed(_ message: String) -> ToolFailure { ToolFailure(kind: .checkFailed, description: message) }
}
