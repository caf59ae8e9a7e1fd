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
        #expect(reader.columnNames == ["id", "name"])
    }
}
