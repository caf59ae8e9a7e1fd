import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// A column's record is checked on its first use, once per reader, whichever thread asks first
/// (Specification.md §9): concurrent first uses agree, a bad column keeps failing with the same
/// error, and the other columns stay readable.
@Suite struct FirstUseTests {
    /// `overlapping-buffers.col`: column `name`'s offsets overlap column `id`'s values.
    @Test func concurrentFirstUsesOfABadColumnAllFailTheSameWay() async throws {
        let fixture = BrokenFixtures.named("overlapping-buffers")
        let reader = try ColFileReader.open(bytes: try fixture.derivedBytes(), path: "o.col")
        let errors = await withTaskGroup(of: ColFileError?.self) { group in
            for task in 0..<16 {
                group.addTask {
                    do {
                        _ = try task % 2 == 0 ? reader.info("name") : reader.info(at: 1)
                        return nil
                    } catch {
                        return error as? ColFileError
                    }
                }
            }
            return await group.reduce(into: [ColFileError?]()) { $0.append($1) }
        }
        #expect(errors.count == 16)
        #expect(errors.allSatisfy { $0 != nil && $0 == errors[0] })
        #expect(errors[0]?.description == "o.col: \(fixture.message)")
        // Asking again answers as the first use did.
        #expect(throws: errors[0]!) { try reader.stringColumn("name") }
    }

    /// A column's record is not checked until the column is used: a file whose last column is
    /// bad opens, and its first column reads.
    @Test func aBadRecordDoesNotStopTheOtherColumns() throws {
        let fixture = BrokenFixtures.named("first-offset-not-zero")
        let reader = try ColFileReader.open(bytes: try fixture.derivedBytes(), path: "f.col")
        #expect(Array(try reader.column("id", as: Int32.self)) == [1, 2, 3])
        #expect(throws: ColFileError.self) { try reader.info("name") }
        #expect(try reader.columnNames == ["id", "name"])
    }

    /// A column's name is checked on the column's first use (Specification.md §9 step 14.1), not at
    /// open: `empty-column-name.col`'s column `id` has a name of 0 bytes.
    @Test func aBadNameFailsOnItsColumnsFirstUse() throws {
        let fixture = BrokenFixtures.named("empty-column-name")
        let reader = try ColFileReader.open(bytes: try fixture.derivedBytes(), path: "e.col")
        // The lookup of `name` visits only its own entry.
        #expect(try reader.info("name").index == 1)
        for _ in 0..<2 {
            let error = #expect(throws: ColFileError.self) { try reader.info(at: 0) }
            #expect(error?.code == .badColumnName)
            #expect(error?.description == "e.col: \(fixture.message)")
        }
        let listing = #expect(throws: ColFileError.self) { try reader.columnNames }
        #expect(listing?.description == "e.col: \(fixture.message)")
    }

    /// A lookup by name checks the name index entries it visits; listing the names checks them all.
    /// `name-index-entry-out-of-range.col`: the index's first entry (the place of `id`) is 7.
    @Test func aLookupChecksTheEntriesItVisits() throws {
        let fixture = BrokenFixtures.named("name-index-entry-out-of-range")
        let reader = try ColFileReader.open(bytes: try fixture.derivedBytes(), path: "r.col")
        #expect(try reader.info("name").index == 1)
        #expect(try reader.info(at: 0).name == "id")
        let lookup = #expect(throws: ColFileError.self) { try reader.info("id") }
        #expect(lookup?.description == "r.col: \(fixture.message)")
        let listing = #expect(throws: ColFileError.self) { try reader.columns }
        #expect(listing == lookup)
    }

    /// A lookup that finds no column checks the whole index before saying so: in
    /// `name-index-unsorted.col` (entries swapped) the search for `name` misses it, and reports
    /// the index, not "no such column".
    @Test func aLookupThatMissesChecksTheWholeIndex() throws {
        let fixture = BrokenFixtures.named("name-index-unsorted")
        let reader = try ColFileReader.open(bytes: try fixture.derivedBytes(), path: "u.col")
        #expect(try reader.info("id").index == 0)
        let miss = #expect(throws: ColFileError.self) { try reader.info("name") }
        #expect(miss?.code == .badNameIndex)
        #expect(miss?.description == "u.col: \(fixture.message)")
        #expect(throws: miss!) { try reader.info("no such name") }
    }

    /// In a valid file every name is found by a lookup made before any listing, at every depth of
    /// the binary search, and a name that is not there is "no such column".
    @Test func everyNameIsFoundWithoutAListing() throws {
        let folder = try TemporaryFolder("first-use-names")
        let path = folder.path + "/wide.col"
        let writer = try ColFileWriter(path: path, options: ColFileWriter.Options(syncsToDisk: false))
        let names = (0..<300).map { "c\($0)" }
        for name in names { try writer.addColumn(name, [Int8(1)]) }
        try writer.finish()
        for (index, name) in names.enumerated() {
            let reader = try ColFileReader.open(path)
            #expect(try reader.info(name).index == index)
        }
        let reader = try ColFileReader.open(path)
        let error = #expect(throws: ColFileError.self) { try reader.info("c300") }
        #expect(error?.code == .noSuchColumn)
    }
}
