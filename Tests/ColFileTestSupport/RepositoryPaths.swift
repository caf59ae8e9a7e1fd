import Foundation

/// Paths inside the repository and the build, found from this source file's location.
public enum RepositoryPaths {
    /// The repository's root folder.
    public static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// `Fixtures/` at the root.
    public static var fixtures: String { root + "/Fixtures" }

    /// The path of a fixture file.
    public static func fixture(_ name: String) -> String { fixtures + "/" + name }

    /// A sibling executable built by SwiftPM (e.g. `colfile`), found next to the test bundle.
    public static func executable(_ name: String) -> String {
        Bundle.main.bundleURL.appendingPathComponent(name).path
    }
}
