import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The golden files in `Fixtures/`: their bytes are what the writer produces today, and they read
/// back as their JSON descriptions say. A change to the format's bytes fails here first.
@Suite struct GoldenFixtureTests {
    @Test(arguments: GoldenFixtures.names, WriteMode.allCases)
    func rewritingGivesTheCommittedBytes(name: String, mode: WriteMode) throws {
        let fixture = GoldenFixtures.named(name)
        let folder = try TemporaryFolder("golden")
        let path = folder.file(name + ".col")
        try fixture.write(to: path, mode: mode)
        let written = try Files.read(path)
        let committed = try Files.read(fixture.path)
        #expect(written.count == committed.count, "\(name) written \(mode)")
        let firstDifference = zip(written, committed).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "\(name) written \(mode) differs at byte \(firstDifference ?? -1)")
    }

    @Test(arguments: GoldenFixtures.names)
    func committedFileReadsAsItsJSONSays(name: String) throws {
        let fixture = GoldenFixtures.named(name)
        let json = try ExpectedFile.decode(json: try Files.read(fixture.jsonPath))
        let cache = try TemporaryFolder("golden-cache")
        for policy in [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory] {
            let reader = try ColFileReader.open(fixture.path,
                                                options: ReaderOptions(coldColumns: policy, cacheFolder: cache.path))
            #expect(try ExpectedFile(reading: reader) == json, "\(name) \(policy)")
            #expect(reader.identity.fileID == GoldenFixture.fileID)
            #expect(reader.formatVersion == fixture.formatVersion)
            #expect(try reader.columns.allSatisfy {
                $0.isCompressed == ((fixture.columnCompression[$0.name] ?? fixture.compression) != .none)
            })
            try reader.verify()
        }
    }

    /// Open reads a file's directory and trailer with `pread`, a file held in memory reads them
    /// through its bytes: every fixture is read here both ways.
    @Test(arguments: GoldenFixtures.names, [true, false])
    func committedFileReadsTheSameWithTheTailReadEitherWay(name: String, readsTailWithPread: Bool) throws {
        let fixture = GoldenFixtures.named(name)
        let reader = try ColFileReader.open(fixture.path, readsTailWithPread: readsTailWithPread)
        try reader.verify()
        if case .none = fixture.compression, fixture.columnCompression.isEmpty {
            let json = try ExpectedFile.decode(json: try Files.read(fixture.jsonPath))
            #expect(try ExpectedFile(reading: reader) == json, "\(name) pread \(readsTailWithPread)")
        }
    }

    @Test(arguments: GoldenFixtures.names)
    func committedJSONMatchesTheCatalog(name: String) throws {
        let fixture = GoldenFixtures.named(name)
        #expect(try Files.read(fixture.jsonPath) == (try fixture.expected.json()))
    }

    /// Rewrites the golden files and the broken ones in `Fixtures/` from the catalogs; runs only
    /// when `COLFILE_REGENERATE_FIXTURES=1` (see `Tools/regenerate-fixtures.sh`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_REGENERATE_FIXTURES"] == "1"))
    func regenerateFixtures() throws {
        for fixture in GoldenFixtures.all {
            try fixture.write(to: fixture.path)
            try Files.write(try fixture.expected.json(), to: fixture.jsonPath)
        }
        for fixture in BrokenFixtures.all {
            try Files.write(try fixture.derivedBytes(), to: fixture.path)
        }
    }
}

/// Specification.md §12 shows every byte of `spec-example.col` as `Tools/spec-hexdump.py` printed
/// it; this keeps the dump in step with the committed file.
@Test func specificationShowsTheExampleBytes() throws {
    let bytes = try Files.read(GoldenFixtures.named("spec-example").path)
    let specification = String(decoding: try Files.read(RepositoryPaths.root + "/Specification.md"), as: UTF8.self)
    for start in stride(from: 0, to: bytes.count, by: 16) {
        let line = Array(bytes[start..<min(start + 16, bytes.count)])
        let groups = stride(from: 0, to: line.count, by: 2).map { index in
            line[index..<min(index + 2, line.count)].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }.joined(separator: " ")
        let text = String(line.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
        let offset = String(start, radix: 16)
        let expected = String(repeating: "0", count: 8 - offset.count) + offset + ": "
            + groups.padding(toLength: 39, withPad: " ", startingAt: 0) + "  " + text
        #expect(specification.contains(expected + "\n"), "missing line: \(expected)")
    }
}
