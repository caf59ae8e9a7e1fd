import ColFile
import Foundation

/// Reads `Fixtures/broken/catalog.json` (its fields are described in `Fixtures/README.md`).
enum BrokenFixtureCatalog {
    /// One entry of the catalog, as stored.
    private struct Entry: Decodable {
        var name: String
        var base: String
        var stage: String
        var column: String?
        var code: String
        var message: String
        var maxDecodedBytes: UInt64?
    }

    /// A catalog entry the Swift side cannot use.
    struct Invalid: Error, CustomStringConvertible {
        /// What is wrong, naming the entry.
        var description: String
    }

    /// The fixtures of the catalog at `path`, in its order.
    ///
    /// - Throws: When the file cannot be read or decoded, or an entry has an unknown stage or code.
    static func read(_ path: String) throws -> [BrokenFixture] {
        let entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        return try entries.map { entry in
            guard let code = ColFileError.Code(rawValue: entry.code) else {
                throw Invalid(description: "\(entry.name): unknown code \(entry.code)")
            }
            let stage: BrokenFixture.Stage
            switch (entry.stage, entry.column) {
            case ("open", nil): stage = .open
            case ("firstUse", nil): stage = .firstUse
            case ("column", let column?): stage = .column(column)
            case ("readValues", nil): stage = .readValues
            case ("verify", nil): stage = .verify
            default: throw Invalid(description: "\(entry.name): stage \(entry.stage) with column \(entry.column ?? "none")")
            }
            return BrokenFixture(name: entry.name, base: entry.base, stage: stage, maxDecodedBytes: entry.maxDecodedBytes,
                                 code: code, message: entry.message)
        }
    }
}
