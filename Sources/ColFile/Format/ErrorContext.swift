/// The file (and column) that parsing or writing is about, to build ``ColFileError``s tersely.
struct ErrorContext: Sendable {
    /// The file's path, as the caller gave it.
    var path: String
    /// The column being checked, once its name is known.
    var column: String?

    /// An error with this context.
    func error(
        _ code: ColFileError.Code, _ message: String, chunk: Int? = nil, offset: UInt64? = nil,
        expected: (any CustomStringConvertible)? = nil, found: (any CustomStringConvertible)? = nil
    ) -> ColFileError {
        ColFileError(
            code, path: path, column: column, chunk: chunk, offset: offset, message: message,
            expected: expected, found: found)
    }

    /// This context, about `column`.
    func about(column: String) -> ErrorContext {
        ErrorContext(path: path, column: column)
    }
}
