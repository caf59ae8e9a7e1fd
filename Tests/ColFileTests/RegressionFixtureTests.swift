@_spi(Testing) import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The files in `Fixtures/broken-reliability/`: damaged cold-column chunks and fuzz findings, each
/// failing with exactly the error its catalog entry names, from disk and from memory.
@Suite struct RegressionFixtureTests {
    /// Cold columns decode into private memory, at most 64 MiB each (as in the fuzz target).
    static let options = ReaderOptions(coldColumns: .privateMemory, maxDecodedBytes: 64 << 20)

    private func failure(of fixture: RegressionFixture, open: () throws -> ColFileReader) -> ColFileError? {
        do {
            let reader = try open()
            switch fixture.stage {
            case .open: return nil
            case .readInt32(let name): _ = try reader.column(name, as: Int32.self)
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

    @Test(arguments: RegressionFixtures.names)
    func committedFileFailsWithItsError(name: String) throws {
        let fixture = RegressionFixtures.named(name)
        let error = failure(of: fixture) { try ColFileReader.open(fixture.path, options: Self.options) }
        #expect(error?.code == fixture.code, "\(name)")
        #expect(error?.description == "\(fixture.path): \(fixture.message)", "\(name)")
    }

    @Test(arguments: RegressionFixtures.names)
    func committedFileIsTheCatalogEditOfItsBase(name: String) throws {
        let fixture = RegressionFixtures.named(name)
        #expect(try Files.read(fixture.path) == (try fixture.derivedBytes()), "\(name)")
    }

    @Test(arguments: RegressionFixtures.names)
    func bytesInMemoryFailTheSameWay(name: String) throws {
        let fixture = RegressionFixtures.named(name)
        let bytes = try fixture.derivedBytes()
        let error = failure(of: fixture) { try ColFileReader.open(bytes: bytes, path: name + ".col", options: Self.options) }
        #expect(error?.description == "\(name).col: \(fixture.message)", "\(name)")
    }

    /// Rewrites the committed files from the catalog; runs only with `COLFILE_REGENERATE_FIXTURES=1`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COLFILE_REGENERATE_FIXTURES"] == "1"))
    func regenerateFixtures() throws {
        for fixture in RegressionFixtures.all { try Files.write(try fixture.derivedBytes(), to: fixture.path) }
    }
}
