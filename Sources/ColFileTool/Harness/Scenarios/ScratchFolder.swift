import FoundationEssentials
import Glibc

/// A fresh folder for a scenario's files inside `parent` (default: the temporary folder),
/// removed with its contents when the scenario ends.
final class ScratchFolder {
    /// The folder's path.
    let path: String

    /// Creates `PARENT/colfile-harness-NAME-PID-RANDOM`.
    init(_ name: String, in parent: String?) throws {
        let base = parent ?? FileManager.default.temporaryDirectory.path
        path = "\(base)/colfile-harness-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    func file(_ name: String) -> String { path + "/" + name }
}
