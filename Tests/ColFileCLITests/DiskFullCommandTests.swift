import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile import` onto a full disk (a 2 MiB tmpfs, mounted when the process may: CI runs as
/// root) ends cleanly (issue 17): one line naming the target and `ENOSPC`, the bad-I/O status 2,
/// the previous file byte for byte, no temporary or spill file; never a signal.
@Suite(.enabled(if: TmpfsMount.isAvailable, "cannot mount a tmpfs (needs root)"))
struct DiskFullCommandTests {
    @Test func importOntoAFullDiskKeepsThePreviousFile() async throws {
        let folder = try TemporaryFolder("cli-disk-full")
        let csv = folder.file("big.csv")
        var text = "id,price,name\n"
        for row in 0..<150_000 { text += "\(row),\(Double(row) * 0.25),name \(row % 977)\n" }
        try Files.write(Array(text.utf8), to: csv)
        let disk = try TmpfsMount("cli-import", size: "2m")
        let target = disk.path + "/out.col"
        try GoldenFixtures.named("spec-example").write(to: target)
        let before = try Files.read(target)
        let result = try await ProcessRunner.colfile("import", "-q", csv, target)
        #expect(result.exitCode == 2, "\(result.standardError)")
        #expect(result.errorLines.count == 1, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("colfile: \(target): "), "\(result.standardError)")
        #expect(result.standardError.contains("No space left on device (errno 28)"), "\(result.standardError)")
        #expect(try Files.read(target) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["out.col"])
    }
}
