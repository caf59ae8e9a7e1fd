import FoundationEssentials
import Glibc
import SystemPackage

/// The CSV text an import reads, as a regular file that can be read from the start more than once
/// (inference may need a second or third pass).
///
/// A path names a file; `-` is standard input. Input that is not a regular file (a pipe, a
/// terminal, a process substitution) is first copied to an unnamed temporary file in
/// `$TMPDIR` (default `/tmp`), so memory stays bounded and the passes read the same bytes.
final class CSVInput {
    /// The input's name in messages: its path, or `stdin`.
    let name: String
    /// The open file, read with `pread` from offset 0 by each pass.
    let descriptor: FileDescriptor
    /// The size in bytes.
    let size: Int
    /// The device and inode of the file read (the temporary copy for a pipe).
    let identity: (device: UInt64, inode: UInt64)

    /// Opens `path` (`-` for standard input); `progress` is told the bytes copied so far while a
    /// pipe is copied to the temporary file.
    ///
    /// - Throws: ``CSVError/Kind/io`` when it cannot be opened or cannot be copied to a temporary
    ///   file, ``CSVError/Kind/invalidOption`` when it is a folder.
    init(path: String, progress: (Int) -> Void = { _ in }) throws {
        name = path == "-" ? "stdin" : path
        let opened: FileDescriptor
        if path == "-" {
            opened = .standardInput
        } else {
            do {
                opened = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec], retryOnInterrupt: true)
            } catch {
                throw CSVError(.io, "\(path): cannot open the file: \(Self.reason(error))")
            }
        }
        var status = stat()
        guard unsafe fstat(opened.rawValue, &status) == 0 else {
            let reason = Errno(rawValue: errno).description
            if path != "-" { try? opened.close() }
            throw CSVError(.io, "\(name): cannot read the file: \(reason)")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            descriptor = opened
            size = Int(status.st_size)
            identity = (UInt64(status.st_dev), UInt64(status.st_ino))
        case S_IFDIR:
            try? opened.close()
            throw CSVError(.invalidOption, "\(name): is a folder, not a CSV file")
        default:
            defer { if path != "-" { try? opened.close() } }
            (descriptor, size) = try Self.spool(opened, name: name, progress: progress)
            var copied = stat()
            _ = unsafe fstat(descriptor.rawValue, &copied)
            identity = (UInt64(copied.st_dev), UInt64(copied.st_ino))
        }
    }

    /// Whether `path` names the file this input reads (so writing there would replace the input).
    func isSameFile(as path: String) -> Bool {
        var status = stat()
        guard unsafe stat(path, &status) == 0 else { return false }
        return UInt64(status.st_dev) == identity.device && UInt64(status.st_ino) == identity.inode
    }

    deinit {
        if descriptor != .standardInput { try? descriptor.close() }
    }

    /// Copies all of `source` into a new unnamed temporary file; returns it and its size.
    private static func spool(_ source: FileDescriptor, name: String, progress: (Int) -> Void) throws
        -> (FileDescriptor, Int) {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((folder + "/colfile-import-XXXXXX").utf8CString)
        let raw = unsafe template.withUnsafeMutableBufferPointer { unsafe mkstemp($0.baseAddress!) }
        guard raw >= 0 else {
            throw CSVError(.io, "\(name): cannot create a temporary file in \(folder) to hold the input: "
                                    + Errno(rawValue: errno).description)
        }
        let spoolPath = unsafe template.withUnsafeBufferPointer { unsafe String(cString: $0.baseAddress!) }
        _ = unsafe unlink(spoolPath)
        let spool = FileDescriptor(rawValue: raw)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size = 0
        do {
            while true {
                let count = try unsafe buffer.withUnsafeMutableBytes { try unsafe source.read(into: $0, retryOnInterrupt: true) }
                guard count > 0 else { break }
                _ = try unsafe buffer.withUnsafeBytes {
                    try unsafe spool.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
                }
                size += count
                progress(size)
            }
        } catch {
            try? spool.close()
            throw CSVError(.io, "\(name): cannot copy the input to a temporary file in \(folder): \(reason(error))")
        }
        return (spool, size)
    }

    private static func reason(_ error: any Error) -> String {
        (error as? Errno)?.description ?? "\(error)"
    }
}
