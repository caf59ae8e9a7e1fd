import Glibc

/// What kind of file system object an open file (or a path) is, from `st_mode` (`fstat`, `stat`).
///
/// Readers accept only regular files: a directory cannot be mapped, a FIFO or socket has no bytes
/// to map, and a device's bytes are not a file's (reading one may block, or have side effects).
enum FileKind: Sendable, Equatable {
    case regular
    case directory
    case fifo
    case socket
    case characterDevice
    case blockDevice
    case symbolicLink
    case other

    /// The kind of the file whose `st_mode` is `mode`.
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }

    /// The kind in words, for errors: "a directory", "a FIFO (named pipe)", …
    var phrase: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .symbolicLink: "a symbolic link"
        case .other: "a special file"
        }
    }

    /// The ``ColFileError/Code/notARegularFile`` error for the file at `path` of this kind.
    func error(path: String) -> ColFileError {
        ColFileError(.notARegularFile, path: path,
                     message: "not a regular file but \(phrase); colfile files are regular files, read through a memory mapping")
    }
}
