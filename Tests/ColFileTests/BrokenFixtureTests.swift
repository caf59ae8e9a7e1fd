@_spi(Testing) import ColFile
import ColFileTestSupport
import Testing

/// The broken files in `Fixtures/broken/`: each is a golden file with one edit, and each fails
/// with exactly the error its catalog entry names.
@Suite struct BrokenFixtureTests {
    /// Runs `fixture`'s stage on `open`'s result and returns the error it throws.
    private func failure(of fixture: BrokenFixture, open: () throws -> ColFileReader) -> ColFileError? {
        do {
            let reader = try open()
            switch fixture.stage {
            case .open: return nil
            case .stringColumn(let name): _ = try reader.stringColumn(name)
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
        let error = failure(of: fixture) { try ColFileReader.open(fixture.path) }
        #expect(error?.code == fixture.code, "\(name)")
        #expect(error?.description == "\(fixture.path): \(fixture.message)", "\(name)")
        #expect(error?.path == fixture.path, "\(name)")
    }

    @Test(arguments: BrokenFixtures.names)
    func committedFileIsTheCatalogEditOfItsGoldenFile(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        #expect(try Files.read(fixture.path) == (try fixture.derivedBytes()), "\(name)")
    }

    @Test(arguments: BrokenFixtures.names)
    func bytesInMemoryFailTheSameWay(name: String) throws {
        let fixture = BrokenFixtures.named(name)
        let bytes = try fixture.derivedBytes()
        let error = failure(of: fixture) { try ColFileReader.open(bytes: bytes, path: name + ".col") }
        #expect(error?.description == "\(name).col: \(fixture.message)", "\(name)")
    }

    /// Every error code a file can cause is covered by a broken fixture.
    @Test func everyFileErrorCodeHasABrokenFixture() {
        let notFromFiles: Set<ColFileError.Code> = [.unsupportedHost, .io, .noSuchColumn, .typeMismatch, .invalidArgument,
                                                    .wouldDecode, .decodeLimitExceeded]
        let covered = Set(BrokenFixtures.all.map(\.code)).union(RegressionFixtures.all.map(\.code))
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
    #expect(reader.columns.map(\.shape) == [[], []])
    #expect(Array(try reader.column("id", as: Int32.self)) == [1, 2, 3])
}
