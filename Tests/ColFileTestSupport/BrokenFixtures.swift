import ColFile
import Foundation

/// A broken fixture: `Fixtures/broken/NAME.col`, a committed fixture (a golden file or a fuzz
/// seed) with one deliberate, deterministic edit, and the exact error a reader must report for it.
///
/// What a reader must report comes from `Fixtures/broken/catalog.json`, the language-neutral
/// catalog every implementation reads (`Fixtures/README.md`); the edit that makes the file from
/// its base is Swift code, in ``BrokenFixtureEdits``, keyed by the fixture's name.
public struct BrokenFixture: Sendable {
    /// When the error appears.
    public enum Stage: Sendable, Equatable {
        /// `ColFileReader.open` throws (catalog stage `open`).
        case open
        /// The file opens; describing every column in directory order (`ColFileReader.columns`)
        /// throws: a column record's checks are made on the column's first use, Specification.md §9
        /// (catalog stage `firstUse`). The error names the column whose record is bad, whichever
        /// column's first use found it.
        case firstUse
        /// The file opens; reading the values of column NAME throws: `stringColumn(NAME)`, or
        /// `dictionaryColumn(NAME)` for a dictionary-encoded column (catalog stage `column`, with
        /// `column`).
        case column(String)
        /// The file opens; reading every column's values through the views throws (for a cold
        /// column, when it is first decoded: chunk-level errors never surface at open,
        /// Specification.md §13.3); `verify()` throws the same error (catalog stage `readValues`).
        case readValues
        /// The file opens; `verify()` throws (catalog stage `verify`).
        case verify
    }

    /// The fixture's name: the file is `broken/NAME.col`.
    public let name: String
    /// The committed file it is derived from, relative to `Fixtures/`.
    public let base: String
    /// When the error appears.
    public let stage: Stage
    /// The reader's ``ReaderOptions/maxDecodedBytes`` for this fixture; nil for the default.
    public let maxDecodedBytes: UInt64?
    /// The error's code.
    public let code: ColFileError.Code
    /// The error's ``ColFileError/description`` after its leading `PATH: `.
    public let message: String

    /// The committed file's path.
    public var path: String { RepositoryPaths.fixture("broken/" + name + ".col") }

    /// The options to read this fixture with: `coldColumns` and `cacheFolder` as given, and the
    /// fixture's decode cap.
    public func readerOptions(coldColumns: ReaderOptions.ColdColumnPolicy,
                              cacheFolder: String? = nil) -> ReaderOptions {
        ReaderOptions(coldColumns: coldColumns, cacheFolder: cacheFolder, maxDecodedBytes: maxDecodedBytes)
    }

    /// The broken file's bytes, made now from the committed base file with the fixture's edit.
    ///
    /// - Precondition: ``BrokenFixtureEdits/byName`` has an edit for the fixture (a test checks
    ///   that the catalog and the edits name the same fixtures).
    public func derivedBytes() throws -> [UInt8] {
        guard let edit = BrokenFixtureEdits.byName[name] else { preconditionFailure("no edit for broken fixture \(name)") }
        var file = FileBytes(try Files.read(RepositoryPaths.fixture(base)))
        edit(&file)
        return file.bytes
    }
}

/// Every broken fixture, in the order of `Fixtures/broken/catalog.json` (the order of the checks
/// of Specification.md §9).
public enum BrokenFixtures {
    /// The catalog's path.
    public static var catalogPath: String { RepositoryPaths.fixture("broken/catalog.json") }

    /// The names of all broken fixtures, in catalog order.
    public static var names: [String] { all.map(\.name) }

    /// The fixture named `name`.
    public static func named(_ name: String) -> BrokenFixture {
        guard let fixture = all.first(where: { $0.name == name }) else { preconditionFailure("no broken fixture \(name)") }
        return fixture
    }

    /// The catalog, read from `Fixtures/broken/catalog.json`.
    public static let all: [BrokenFixture] = {
        do {
            return try BrokenFixtureCatalog.read(catalogPath)
        } catch {
            preconditionFailure("\(catalogPath): \(error)")
        }
    }()
}
