import Foundation
import Glibc

/// Files that are not regular files, for the tests of what readers do with them: a FIFO, a bound
/// Unix socket, a block device node.
public enum SpecialFiles {
    /// Creates a FIFO (named pipe) at `path` (`mkfifo`).
    public static func makeFIFO(at path: String) throws {
        guard unsafe mkfifo(path, 0o644) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Binds a Unix stream socket to `path`, leaving a socket file there; the socket itself is
    /// closed (the file stays until removed). `path` must be shorter than 108 bytes.
    public static func makeSocket(at path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw POSIXError(.ENAMETOOLONG) }
        unsafe withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { unsafe raw[index] = byte }
        }
        let result = unsafe withUnsafePointer(to: &address) { pointer in
            unsafe pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { unsafe bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// A block device to open read-only: a node of the first loop device (7, 0) made in `folder`
    /// when this process may (root), else the first block device under /dev; nil when neither is
    /// possible (an unprivileged process in a container without devices).
    public static func blockDevice(in folder: String) -> String? {
        let node = folder + "/block"
        if unsafe mknod(node, S_IFBLK | 0o600, dev_t(7 << 8) /* makedev(7, 0) */) == 0 { return node }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        for name in names.sorted() {
            var info = stat()
            let path = "/dev/" + name
            if unsafe stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFBLK, unsafe access(path, R_OK) == 0 { return path }
        }
        return nil
    }
}
