import ColFile
import ColFileCSV
import ColFileTestSupport
import Foundation
import Testing

/// Imports of wide records, whose blocks' arrays are large enough to be populated ahead of the
/// scan (their field ends several MiB) and are released before the writer's finish: every value
/// reads back as written, whether the input is one block the sample pass carries into the
/// writing pass or several, on one thread or more.
@Suite struct WideBlockMemoryTests {
    private static let columns = 1_000

    /// Field `column` of data row `row`: an integer, empty (null) now and then.
    private static func value(_ row: Int, _ column: Int) -> Int64? {
        (row + column) % 37 == 0 ? nil : Int64((row * 7_919 + column * 104_729) % 100_000)
    }

    @Test(arguments: [(100, 1), (100, 2), (450, 1), (450, 2)])
    func everyValueReadsBack(rows: Int, threads: Int) throws {
        let folder = try TemporaryFolder("csv-wide-block-memory")
        var text = (0..<Self.columns).map { "c\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<rows {
            text += (0..<Self.columns).map { Self.value(row, $0).map(String.init) ?? "" }.joined(separator: ",") + "\n"
        }
        let input = folder.file("wide.csv")
        try Files.write(Array(text.utf8), to: input)
        var settings = CSVImporter.Settings(input: input, output: folder.file("wide.col"))
        settings.threads = threads
        let summary = try CSVImporter(settings).run()
        #expect(summary.rows == rows)
        #expect(summary.columns.allSatisfy { $0.type == .int64 })
        let reader = try ColFileReader.open(settings.output)
        for column in 0..<Self.columns {
            let values = Array(try reader.column("c\(column)", as: Int64.self))
            guard values == (0..<rows).map({ Self.value($0, column) }) else {
                Issue.record("column c\(column) of \(rows) rows at \(threads) threads differs")
                return
            }
        }
    }
}
