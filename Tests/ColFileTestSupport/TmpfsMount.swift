import Foundation

/// A small tmpfs mounted on a new temporary folder, to make a real `ENOSPC` or `EROFS` (issue 17):
/// `mount -t tmpfs -o size=SIZE`. Mounting needs root (CI runs as root); ``isAvailable`` says
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
        let options = "size=\(size),mode=0700" + (readOnly ? ",ro" : "")
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", path]) else {
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
    }

    deinit {
        _ = Self.run("/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether this process can mount a tmpfs (tried once).
    public static let isAvailable: Bool = (try? TmpfsMount("probe", size: "64k")) != nil

    /// Runs `executable` with `arguments`, its output discarded: true when it exits 0.
    private static func run(_ executable: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
