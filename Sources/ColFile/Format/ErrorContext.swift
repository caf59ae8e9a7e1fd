/// The file (and column) that parsing or writing is about, to build ``ColFileError``s tersely.
struct ErrorContext: Sendable {
    /// The file's path, as the caller gave it.
    var path: String
    /// The column being checked, once its name is known.
    var column: String?
    /// The checked UTF-8 bytes of the column's name, decoded into ``column`` only for an error: a
    /// column's first-use checks, which pass on every attach, then decode no `String` (BENCHMARKS.md,
    /// "Attach: the user-space work at open"). The bytes must outlive this context.
    var columnNameBytes: ByteView?

    /// An error with this context.
    func error(
        _ code: ColFileError.Code, _ message: String, chunk: Int? = nil, offset: UInt64? = nil,
        expected: (any CustomStringConvertible)? = nil, found: (any CustomStringConvertible)? = nil
    ) -> ColFileError {
        ColFileError(
            code, path: path, column: column ?? columnNameBytes?.utf8String(), chunk: chunk, offset: offset,
            message: message, expected: expected, found: found)
    }

    /// This context, about `column`.
    func about(column: String) -> ErrorContext {
        ErrorContext(path: path, column: column)
    }

    /// This context, about the column whose name is the valid UTF-8 `nameBytes`.
    func about(columnNamed nameBytes: ByteView) -> ErrorContext {
        ErrorContext(path: path, columnNameBytes: nameBytes)
    }
}
