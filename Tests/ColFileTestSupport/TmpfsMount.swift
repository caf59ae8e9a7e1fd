import Foundation
import Glibc

/// A small tmpfs mounted on a new temporary folder, to make a real `ENOSPC` or `EROFS` (issue 17),
/// by the `mount(2)` system call (no `mount` process: Foundation's `Process` reads past a buffer
/// under AddressSanitizer, and a system call needs no spawning). Mounting needs root (CI runs as root); ``isAvailable`` says
/// whether this process may, so tests are skipped with that reason otherwise. Unmounted and removed
/// in `deinit`.
public final class TmpfsMount: Sendable {
    /// The mounted folder.
    public let path: String

    /// Mounts a tmpfs of `size` (`mount`'s syntax, e.g. `2m`), read-only when asked.
    ///
    /// - Throws: When the folder cannot be made or `mount` fails.
    public init(_ name: String, size: String = "2m", readOnly: Bool = false) throws {
        path = FileManager.default.temporaryDirectory.path + "/colfile-tmpfs-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let flags = readOnly ? UInt(MS_RDONLY) : 0
        guard unsafe mount("tmpfs", path, "tmpfs", flags, "size=\(size),mode=0700") == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
    }

    deinit {
        _ = unsafe umount2(path, CInt(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether this process can mount a tmpfs (tried once).
    public static let isAvailable: Bool = (try? TmpfsMount("probe", size: "64k")) != nil
}
