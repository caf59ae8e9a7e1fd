import Foundation

/// A fresh folder under the system's temporary folder, removed with everything in it when the
/// value is released. Each test makes its own, so tests can run in parallel.
public final class TemporaryFolder: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates a folder named `colfile-PREFIX-UUID`.
    public init(_ prefix: String = "test") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("colfile-\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// The names of the entries in the folder, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }
}
