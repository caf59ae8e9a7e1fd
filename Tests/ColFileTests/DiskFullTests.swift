import ColFile
import ColFileTestSupport
import Foundation
import SystemPackage
import Testing

/// A real full disk (a 2 MiB tmpfs, mounted when the process may: CI runs as root) under every
/// writer path of the library (issue 17): columns added whole, and streamed columns (whose spill
/// files share the disk). Each write must throw ``ColFileError/Code/io`` with `ENOSPC`, leave the
/// previous file byte for byte and leave no temporary or spill file. `WriterFaultTests` covers the
/// same with injected faults, without root.
@Suite(.enabled(if: TmpfsMount.isAvailable, "cannot mount a tmpfs (needs root)"))
struct DiskFullTests {
    /// Writes to `disk/t.col`, which holds a previous file, with `body`; checks the clean failure.
    private func expectCleanFailure(named: Bool, _ name: String, _ body: (ColFileWriter) throws -> Void) throws {
        let disk = try TmpfsMount("writer-\(name)", size: "2m")
        let path = disk.path + "/t.col"
        try GoldenFixtures.named("spec-example").write(to: path)
        let before = try Files.read(path)
        let error = #expect(throws: ColFileError.self) {
            var options = ColFileWriter.Options()
            options.useNamedTemporaryFile = named
            let writer = try ColFileWriter(path: path, options: options)
            try body(writer)
            try writer.finish()
        }
        #expect(error?.code == .io, "\(String(describing: error))")
        #expect(error?.errno == .noSpace, "\(String(describing: error))")
        #expect(try Files.read(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["t.col"])
    }

    @Test(arguments: [false, true])
    func wholeColumnsOnAFullDisk(named: Bool) throws {
        try expectCleanFailure(named: named, "whole") { writer in
            try writer.addColumn("big", (0..<(1 << 19)).map { Double($0) })
        }
    }

    /// A 24 MiB column goes out in one write while another thread checksums it
    /// (`OutputFile.appendBuffer`): the failed write still waits for that thread.
    @Test(arguments: [false, true])
    func aLargeColumnOnAFullDisk(named: Bool) throws {
        try expectCleanFailure(named: named, "large") { writer in
            try writer.addColumn("big", (0..<(3 << 20)).map { Double($0) })
        }
    }

    @Test(arguments: [false, true])
    func streamedColumnsOnAFullDisk(named: Bool) throws {
        try expectCleanFailure(named: named, "streamed") { writer in
            let strings = try writer.streamStringColumn("s")
            let numbers = try writer.streamColumn("n", of: Int64.self)
            for row in 0..<(1 << 18) {
                try strings.append("value \(row)")
                try numbers.append(Int64(row))
            }
            try strings.finish()
            try numbers.finish()
        }
    }
}
