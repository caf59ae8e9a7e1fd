import ColFileTestSupport
import Foundation
import Testing

/// ARCHITECTURE.md names files and folders; each must exist, so the page keeps matching the tree.
@Suite struct ArchitectureDocumentTests {
    /// The texts between backquotes in `text`.
    private static func quoted(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test func everyPathItNamesExists() throws {
        let root = RepositoryPaths.root
        let text = try String(contentsOfFile: root + "/ARCHITECTURE.md", encoding: .utf8)
        let sources = FileManager.default.enumerator(atPath: root + "/Sources")?.compactMap { $0 as? String } ?? []
        let tests = FileManager.default.enumerator(atPath: root + "/Tests")?.compactMap { $0 as? String } ?? []
        let fileNames = Set((sources + tests).map { ($0 as NSString).lastPathComponent })
        var checked = 0
        for token in Self.quoted(text) where !token.contains(" ") && !token.hasPrefix("$") && !token.hasPrefix("~") {
            if token.contains("/") {
                // A path from the repository's root.
                #expect(FileManager.default.fileExists(atPath: root + "/" + token), "ARCHITECTURE.md: \(token)")
                checked += 1
            } else if token.hasSuffix(".swift") {
                // A file named in a row of its folder.
                #expect(fileNames.contains(token), "ARCHITECTURE.md: \(token)")
                checked += 1
            } else if token.hasSuffix(".md") {
                #expect(FileManager.default.fileExists(atPath: root + "/" + token), "ARCHITECTURE.md: \(token)")
                checked += 1
            }
        }
        #expect(checked >= 40)
    }
}
