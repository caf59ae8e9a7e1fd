import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The broken files in `Fixtures/broken/`: each is a committed fixture with one edit, and each
/// fails with exactly the error its catalog entry names, from disk and from memory.
@Suite struct BrokenFixtureTests {
    /// Runs `fixture`'s stage on `open`'s result and returns the error it throws.
    private func failure(of fixture: BrokenFixture, open: () throws -> ColFileReader) -> ColFileError? {
        do {
            let reader = try open()
            switch fixture.stage {
            case .open: return nil
            case .firstUse: _ = try reader.columns
            case .column(let name):
                if try reader.info(name).isDictionaryEncoded {
                    _ = try reader.dictionaryColumn(name)
                } else {
                    _ = try reader.stringColumn(name)
                }
            case .readValues: _ = try ExpectedFile(reading: reader)
            case .verify: try reader.verify()
            }
            return nil
        } catch let error as ColFileError {
            return error
        } catch {
            Issue.record("\(fixture.name): not a ColFileError: \(error)")
            return nil
        }
    }

    @Test(arguments: BrokenFixtures.names)
    func committedFileFailsWithItsError(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let cache = try TemporaryFolder("broken-cache")
        let error = failure(of: fixture) {
            try ColFileReader.open(fixture.path, options: fixture.readerOptions(coldColumns: .sharedCache,
                                                                                cacheFolder: cache.path))
        }
        #expect(error?.code == fixture.code, "\(name)")
        #expect(error?.description == "\(fixture.path): \(fixture.message)", "\(name)")
        #expect(error?.path == fixture.path, "\(name)")
        // The column-by-column check (for progress reports) finds the same problem.
        if fixture.stage == .verify, let column = error?.column {
            let reader = try ColFileReader.open(fixture.path, options: fixture.readerOptions(coldColumns: .sharedCache,
                                                                                             cacheFolder: cache.path))
            let byColumn = #expect(throws: ColFileError.self, "\(name)") { try reader.verify(column: column) }
            #expect(byColumn == error, "\(name)")
        }
    }

    @Test(arguments: BrokenFixtures.names)
    func committedFileIsTheCatalogEditOfItsBase(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        #expect(try Files.read(fixture.path) == (try fixture.derivedBytes()), "\(name)")
    }

    @Test(arguments: BrokenFixtures.names)
    func bytesInMemoryFailTheSameWay(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let bytes = try fixture.derivedBytes()
        let error = failure(of: fixture) {
            try ColFileReader.open(bytes: bytes, path: name + ".col",
                                   options: fixture.readerOptions(coldColumns: .privateMemory))
        }
        #expect(error?.description == "\(name).col: \(fixture.message)", "\(name)")
    }

    /// A cold column's chunk-level fault is not seen at open: it surfaces when the column is first
    /// decoded, the same way through the views with the shared cache (which then holds no entry
    /// for that column) or in private memory, and in `verify()`.
    @Test(arguments: BrokenFixtures.all.filter { $0.stage == .readValues }.map(\.name))
    func coldColumnFaultsSurfaceWhenDecoded(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let cache = try TemporaryFolder("broken-cache")
        var failingColumn: String?
        for policy in [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory] {
            let options = fixture.readerOptions(coldColumns: policy, cacheFolder: cache.path)
            let reader = try ColFileReader.open(fixture.path, options: options)
            let reading = #expect(throws: ColFileError.self, "\(name) \(policy)") { try ExpectedFile(reading: reader) }
            #expect(reading?.description == "\(fixture.path): \(fixture.message)", "\(name) \(policy)")
            // Every fault names its chunk, except bytes after the last chunk (the buffer's).
            #expect(reading?.chunk != nil || name == "bytes-after-last-chunk", "\(name) \(policy)")
            let verifying = #expect(throws: ColFileError.self, "\(name) \(policy)") { try reader.verify() }
            #expect(verifying == reading, "\(name) \(policy)")
            failingColumn = reading?.column
        }
        let refusing = try ColFileReader.open(fixture.path, options: fixture.readerOptions(coldColumns: .refuse))
        let index = try #require(refusing.columns.first { $0.name == failingColumn }?.index)
        #expect(try !cache.contents().contains { $0.hasSuffix("-\(index).colcache") }, "\(name)")
        // The failed decode removed its lock file too.
        #expect(try !cache.contents().contains { $0.hasSuffix(".lock") }, "\(name)")
    }

    /// A chunk's CRC-32 is checked by `verify()` always, and on every decode only when asked:
    /// zlib checks each chunk's Adler-32 as it decodes (Specification.md §13.3).
    @Test func chunkChecksumsAreCheckedOnDecodeOnlyWhenAsked() throws {
        let fixture = BrokenFixtures.named("chunk-checksum-mismatch")
        let cache = try TemporaryFolder("broken-cache")
        let lenient = try ColFileReader.open(fixture.path, options: ReaderOptions(cacheFolder: cache.path))
        #expect(try lenient.stringColumn("label").count == 1100)
        let strict = try ColFileReader.open(fixture.path, options: ReaderOptions(coldColumns: .privateMemory,
                                                                                 checksChunkChecksums: true))
        let error = #expect(throws: ColFileError.self) { try strict.stringColumn("label") }
        #expect(error?.description == "\(fixture.path): \(fixture.message)")
    }

    /// The language-neutral catalog (`Fixtures/broken/catalog.json`) and the Swift edits name
    /// exactly the same fixtures, each once, and every committed broken file is in the catalog.
    @Test func catalogEditsAndFilesNameTheSameFixtures() throws {
        let catalog = Set(BrokenFixtures.names)
        #expect(catalog.count == BrokenFixtures.names.count, "a name appears twice in the catalog")
        #expect(catalog.subtracting(BrokenFixtureEdits.byName.keys).isEmpty, "in the catalog, without an edit")
        #expect(Set(BrokenFixtureEdits.byName.keys).subtracting(catalog).isEmpty, "an edit, not in the catalog")
        let files = try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.fixture("broken"))
            .filter { $0.hasSuffix(".col") }.map { String($0.dropLast(".col".count)) }
        #expect(Set(files) == catalog, "Fixtures/broken/*.col and the catalog differ")
    }

    /// Every error code a file can cause is covered by a broken fixture (a dataset's by a broken
    /// dataset, `Fixtures/datasets/broken/`).
    @Test func everyFileErrorCodeHasABrokenFixture() throws {
        // notARegularFile and fileChanged are about the path and the file's surroundings, not its
        // bytes: SpecialFileTests and TruncationTests cover them. versionConflict is a race between
        // dataset writers: DatasetTests covers it. A draft's own codes come from opening or sealing
        // a draft, not from reading a file: DraftTests (and python/tests/test_drafts.py) cover them.
        let notFromFiles: Set<ColFileError.Code> = [.unsupportedHost, .io, .noSuchColumn, .typeMismatch, .invalidArgument,
                                                    .wouldDecode, .codecUnavailable, .notARegularFile, .fileChanged,
                                                    .versionConflict, .sealedDraft, .draftBusy, .badDraftHeader,
                                                    .badDraftLayout, .draftIncomplete]
        let covered = Set(BrokenFixtures.all.map(\.code))
            .union(try DatasetFixtures.catalog().compactMap { ColFileError.Code(rawValue: $0.code) })
        #expect(Set(ColFileError.Code.allCases).subtracting(notFromFiles).subtracting(covered).isEmpty)
    }
}

/// Regression: a scalar column's shape offset is not checked at open (it means nothing when the
/// rank is 0), so describing the column must not read the heap there. The resealed directory
/// bit-flip sweep found `info(at:)` trapping on such a file.
@Test func scalarColumnIgnoresItsShapeOffset() throws {
    var file = FileBytes(try Files.read(GoldenFixtures.named("spec-example").path))
    file.store(UInt32(0xFFFF), at: file.recordOffset(0) + 32)
    file.resealDirectory()
    let reader = try ColFileReader.open(bytes: file.bytes)
    #expect(try reader.columns.map(\.shape) == [[], []])
    #expect(Array(try reader.column("id", as: Int32.self)) == [1, 2, 3])
}
