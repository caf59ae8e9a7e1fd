import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// Files and helpers for the `colfile harness` tests.
enum HarnessFixtures {
    /// Writes one Float64 column `x` of `rows` rows to `name` in `folder`: `(row mod 4096) × 0.5`,
    /// or, when `compressed`, runs of 4096 equal values stored with zlib (a cold column that
    /// compresses to a small fraction, so its decoded bytes dominate what readers touch).
    static func floatFile(in folder: TemporaryFolder, name: String = "data.col", rows: Int,
                          compressed: Bool = false) throws -> String {
        let path = folder.file(name)
        let writer = try ColFileWriter(path: path)
        if compressed { writer.defaultCompression = .zlib() }
        try writer.addColumn("x", (0..<rows).map { compressed ? Double($0 >> 12) : Double($0 % 4096) * 0.5 })
        try writer.finish()
        return path
    }

    /// Runs `colfile harness ARGUMENTS --json` and decodes the JSON object it prints.
    static func run(_ arguments: [String]) async throws -> (output: ProcessOutput, json: [String: Any]) {
        let output = try await ProcessRunner.run(RepositoryPaths.executable("colfile"), ["harness", "--json"] + arguments)
        let object = (try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8))) as? [String: Any]
        return (output, object ?? [:])
    }
}
