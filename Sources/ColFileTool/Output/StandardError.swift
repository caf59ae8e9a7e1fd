import Foundation

/// Writes messages to the standard error stream (the C global `stderr` is not available in Swift 6).
enum StandardError {
    /// Writes `message` and a newline to standard error, unbuffered.
    static func writeLine(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes an error `message` as exactly one line: control characters that came from a file
    /// (a column name or a CSV value holding CR or LF) are escaped (``TextFormatting/escapingControls(_:)``).
    static func writeErrorLine(_ message: String) {
        writeLine(TextFormatting.escapingControls(message))
    }
}
