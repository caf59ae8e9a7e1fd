import SystemPackage

/// Writes messages to the standard error stream (the C global `stderr` is not available in Swift 6).
enum StandardError {
    /// Writes `message` and a newline to standard error, unbuffered.
    static func writeLine(_ message: String) {
        write(message + "\n")
    }

    /// Writes `text` to standard error, unbuffered; a failure to write is ignored (there is
    /// nowhere left to report it).
    static func write(_ text: String) {
        _ = try? FileDescriptor.standardError.writeAll(text.utf8)
    }

    /// Writes an error `message` as exactly one line: control characters that came from a file
    /// (a column name or a CSV value holding CR or LF) are escaped (``TextFormatting/escapingControls(_:)``).
    static func writeErrorLine(_ message: String) {
        writeLine(TextFormatting.escapingControls(message))
    }
}
