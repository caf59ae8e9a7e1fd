import ColFile
import ColFileTestSupport
import Testing

/// A reader's answer never depends on the decode cache for the checks that do not decode
/// (Specification.md §3, §13.3, §13.4): the chunk index of a cold column is checked before a
/// cache entry is used, as before a decode. Damage inside a compressed stream keeps the file's
/// identity, so a warm cache serves the values the directory's CRC-32s name.
@Suite struct CacheIndependenceTests {
    /// The broken files made from `cold.col` without changing its directory: same identity.
    static let sameIdentity = BrokenFixtures.all.filter { fixture in
        fixture.base == "cold.col" && fixture.stage == .readValues
            && (try? ColFileReader.open(fixture.path).identity) == (try? ColFileReader.open(cold).identity)
    }.map(\.name)
    /// The intact file.
    static let cold = RepositoryPaths.fixture("cold.col")

    @Test(arguments: sameIdentity)
    func indexFaultsAreFoundWithAWarmCache(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let cache = try TemporaryFolder("warm-cache")
        let options = ReaderOptions(coldColumns: .sharedCache, cacheFolder: cache.path)
        // Warm: every column of the intact file decoded into the cache.
        _ = try ExpectedFile(reading: ColFileReader.open(Self.cold, options: options))
        let reader = try ColFileReader.open(fixture.path, options: options)
        let indexFault: Set<ColFileError.Code> = [.chunkOutOfRange, .overlappingChunks, .chunkGap]
        if indexFault.contains(fixture.code) {
            let error = #expect(throws: ColFileError.self, "\(name)") { try ExpectedFile(reading: reader) }
            #expect(error.map { "\($0)" } == "\(fixture.path): \(fixture.message)", "\(name)")
        } else {
            // A stream fault: the cache entry of the same identity holds the directory's values.
            let expected = try ExpectedFile.decode(json: Files.read(RepositoryPaths.fixture("cold.json")))
            #expect(try ExpectedFile(reading: reader) == expected, "\(name)")
        }
    }

    @Test func someFixturesKeepTheIdentity() {
        #expect(Self.sameIdentity.count >= 6)
    }
}
