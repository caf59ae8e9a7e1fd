import SystemPackage

/// Why a cold column was decoded into private memory instead of the shared decode cache
/// (Specification.md §13.4; RELIABILITY.md, "Faults around the file").
///
/// The cache is an optimization: when its folder cannot be used safely (it cannot be created, is
/// not a folder, is not owned by this user or is writable by others) or an entry cannot be
/// written (`ENOSPC`, `EDQUOT`, `EROFS`, `EACCES`, …), the reader decodes the column privately, as
/// ``ReaderOptions/ColdColumnPolicy/privateMemory`` does, and leaves no partial entry. The read
/// itself does not fail. ``ColFileReader/cacheFallbacks`` lists them for one reader, and
/// ``ColFileReader/observeCacheFallbacks(_:)`` tells a process of each as it happens.
public struct CacheFallback: Sendable, Equatable, CustomStringConvertible {
    /// The source file.
    public var path: String
    /// The column decoded privately.
    public var column: String
    /// The cache folder that could not be used.
    public var folder: String
    /// What went wrong, e.g. "cannot write 1048576 bytes at offset 4096".
    public var reason: String
    /// The system error behind it, when there is one (`ENOSPC`, `EROFS`, …).
    public var errno: Errno?

    /// One line: "data.col: column 'x': decoded in private memory: the decode cache /c cannot be
    /// used (cannot write …: No space left on device (errno 28))".
    public var description: String {
        let cause = errno.map { "\(reason): \($0.description) (errno \($0.rawValue))" } ?? reason
        return "\(path): column '\(column)': decoded in private memory: the decode cache \(folder) cannot be used (\(cause))"
    }
}
