import ColFileTestSupport
import Foundation
import Testing

/// Writes CSV inputs for the tool's tests.
enum CSVFixtures {
    /// Writes `text` (as UTF-8, byte for byte) to `name` in `folder` and returns its path.
    static func write(_ text: String, as name: String = "input.csv", in folder: TemporaryFolder) throws -> String {
        try write(bytes: Array(text.utf8), as: name, in: folder)
    }

    /// Writes `bytes` to `name` in `folder` and returns its path.
    static func write(bytes: [UInt8], as name: String, in folder: TemporaryFolder) throws -> String {
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Imports ``small`` into `small.col` in `folder` and returns that file's path.
    static func importSmall(in folder: TemporaryFolder) async throws -> String {
        let input = try write(small, in: folder)
        let output = folder.file("small.col")
        let result = try await ProcessRunner.colfile("import", "-q", input, output)
        #expect(result.exitCode == 0, "\(result.standardError)")
        return output
    }

    /// A small table with one column of each imported type and some nulls.
    static let small = """
        id,score,name,ok,day,seen
        1,2.5,ann,true,2024-01-02,2024-01-02T14:30:00Z
        2,NA,"bob, jr",false,2024-02-29,
        3,-1e3,,TRUE,1999-12-31,2000-01-01T00:00:00.250Z
        4,0.125,"a very long name that goes on and on and on",,2024-01-02,2024-01-02T14:30:00Z

        """
}
