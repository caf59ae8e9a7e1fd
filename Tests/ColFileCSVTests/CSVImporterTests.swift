import ColFile
import ColFileCSV
import ColFileTestSupport
import Foundation
import SystemPackage
import Testing

/// The library's API, as another package uses it: import a CSV into a colfile file, read the
/// errors, scan records, spell a schema.
@Suite struct CSVImporterTests {
    private static func write(_ text: String, in folder: TemporaryFolder) throws -> String {
        let path = folder.file("input.csv")
        try Files.write(Array(text.utf8), to: path)
        return path
    }

    @Test func importsWithInferredAndGivenTypes() throws {
        let folder = try TemporaryFolder("csv-api")
        let input = try Self.write("id,price,zip,day\n1,1.5,007,2024-01-02\n2,,010,2024-01-03\n3,2.25,,NA\n", in: folder)
        var settings = CSVImporter.Settings(input: input, output: folder.file("out.col"))
        settings.schema = try CSVSchema.parse("id:int32")
        var reported = 0
        let summary = try CSVImporter(settings) { rows, _ in reported = rows }.run()
        #expect(summary.rows == 3 && reported == 3)
        #expect(summary.columns.map(\.name) == ["id", "price", "zip", "day"])
        #expect(summary.columns.map(\.type) == [.number(.int32), .float64, .string, .date])
        #expect(summary.columns.map(\.nulls) == [0, 1, 1, 1])
        #expect(summary.widening == nil)
        let reader = try ColFileReader.open(settings.output)
        #expect(Array(try reader.column("id", as: Int32.self)) == [1, 2, 3])
        #expect(try reader.stringColumn("zip").value(at: 1) == "010")
        #expect(try CSVSchema.text(for: reader.columns, file: settings.output) == "id:int32,price:float64,zip:string,day:date")
    }

    /// Null texts that start as numbers do (a digit, a sign) or with a byte past ASCII are
    /// matched whole (the first-byte filter lets them through; longer or shorter fields are values),
    /// and the empty field is a value when "" is not a null text.
    @Test func nullTextsStartingLikeNumbersOrPastASCII() throws {
        let folder = try TemporaryFolder("csv-api-nulls")
        let input = try Self.write("n,x,s\n9,1.5,é\n99,-,a\n-5,2,\n-,9,b\n7,-1.25,éé\n", in: folder)
        var settings = CSVImporter.Settings(input: input, output: folder.file("out.col"))
        settings.nullValues = ["9", "-", "é"]
        let summary = try CSVImporter(settings).run()
        #expect(summary.columns.map(\.type) == [.int64, .float64, .string])
        #expect(summary.columns.map(\.nulls) == [2, 2, 1])
        let reader = try ColFileReader.open(settings.output)
        let n = try reader.column("n", as: Int64.self)
        let x = try reader.column("x", as: Double.self)
        let text = try reader.stringColumn("s")
        #expect((0..<5).map { n.value(at: $0) } == [nil, 99, -5, nil, 7])
        #expect((0..<5).map { x.value(at: $0) } == [1.5, nil, 2, nil, -1.25])
        #expect((0..<5).map { text.value(at: $0) } == [nil, "a", "", "b", "éé"])
    }

    @Test func aWideningValueIsReported() throws {
        let folder = try TemporaryFolder("csv-api-widening")
        let rows = (0..<CSVImporter.sampleRows).map { "\($0)" } + ["x"]
        let input = try Self.write("n\n" + rows.joined(separator: "\n") + "\n", in: folder)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.columns.map(\.type) == [.string])
        let widening = try #require(summary.widening)
        #expect(widening.row == CSVImporter.sampleRows + 1 && widening.column == "n")
        #expect(widening.value == "x" && widening.from == .int64)
    }

    /// Rows so wide that the sample infers from 16 of them while its one block holds all 40: the
    /// writing pass converts that block without reading it again, and a value past the sample's
    /// rows (row 30) still widens its column, reported as the first value that did not fit.
    @Test func aValuePastTheSampleInItsBlockWidens() throws {
        let folder = try TemporaryFolder("csv-api-carried")
        let columns = 7_000  // a 75 KB header: the sample reads max(16, 2 MiB / 75 KB) = 27 rows
        var text = (0..<columns).map { "column\($0)" }.joined(separator: ",") + "\n"
        for row in 1...40 {
            var fields = (0..<columns).map { String(($0 * 7 + row) % 1_000) }
            if row == 30 { fields[3] = "2.5" }
            if row % 5 == 0 { fields[6] = "" }
            text += fields.joined(separator: ",") + "\n"
        }
        let input = try Self.write(text, in: folder)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.rows == 40 && summary.columns.count == columns)
        let widening = try #require(summary.widening)
        #expect(widening.row == 30 && widening.column == "column3" && widening.value == "2.5")
        #expect(summary.columns[3].type == .float64 && summary.columns[0].type == .int64)
        #expect(summary.columns[6].nulls == 8)
        let reader = try ColFileReader.open(folder.file("out.col"))
        let widened = try reader.column("column3", as: Double.self)
        #expect(widened.value(at: 29) == 2.5 && widened.value(at: 39) == Double((3 * 7 + 40) % 1_000))
        let last = try reader.column("column\(columns - 1)", as: Int64.self)
        #expect((0..<40).map { last.value(at: $0) } == (1...40).map { Int64(((columns - 1) * 7 + $0) % 1_000) })
        let nullable = try reader.column("column6", as: Int64.self)
        #expect(nullable.value(at: 4) == nil && nullable.value(at: 5) == Int64((6 * 7 + 6) % 1_000))
    }

    /// The header is the only check of an import's column names (its writer, told they were
    /// proved distinct, keeps no set of names): a name given twice, also as the name an empty
    /// header field gets, is refused before anything is written.
    @Test func aHeaderNamingAColumnTwiceIsRefused() throws {
        let folder = try TemporaryFolder("csv-api-twice")
        let output = folder.file("out.col")
        for (header, name, fields) in [("a,b,a", "a", "1 and 3"), ("a,,column_2", "column_2", "2 and 3")] {
            let input = try Self.write(header + "\n1,2,3\n", in: folder)
            let error = #expect(throws: CSVError.self) {
                try CSVImporter(CSVImporter.Settings(input: input, output: output)).run()
            }
            #expect(error == CSVError(.invalidCSV, "\(input): the header names column '\(name)' twice (fields "
                                          + "\(fields)); rename one or use --no-header"))
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    /// Timestamps and Bools in their common spellings (read at fixed places by the typed loop)
    /// and in others (read the long way) give the same values, side by side in one block.
    @Test func timestampsAndBoolsInEverySpelling() throws {
        let folder = try TemporaryFolder("csv-api-fixed-layout")
        let rows = [
            "2024-02-29T23:59:59.5Z,TRUE", "\"2024-02-29 00:00:00,123z\",False", "2023-12-31t12:00:00Z,true",
            "2024-01-01T00:00:00+01:00,fAlSe", "1969-12-31T23:59:59.999Z,", "2024-03-01T00:00:00.1Z,false",
        ]
        let input = try Self.write("ts,flag\n" + rows.joined(separator: "\n") + "\n", in: folder)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.columns.map(\.type) == [.timestamp(.milliseconds, zoned: true), .bool])
        let reader = try ColFileReader.open(folder.file("out.col"))
        let ts = try reader.column("ts", as: Int64.self)
        #expect((0..<6).map { ts.value(at: $0) }
            == [1_709_251_199_500, 1_709_164_800_123, 1_704_024_000_000, 1_704_063_600_000, -1, 1_709_251_200_100])
        let flag = try reader.boolColumn("flag")
        #expect((0..<6).map { flag.value(at: $0) } == [true, false, true, false, nil, false])
    }

    /// A nanosecond column's range is checked for values the typed loop reads at fixed places:
    /// past the sample, a timestamp outside the years 1678–2261 widens it to String.
    @Test func nanosecondsOutOfRangePastTheSampleWiden() throws {
        let folder = try TemporaryFolder("csv-api-nanoseconds")
        let sample = (0..<CSVImporter.sampleRows).map { "2024-01-01T00:00:\(String(format: "%02d", $0 % 60)).123456789Z" }
        let input = try Self.write("ts\n" + (sample + ["2200-01-01T00:00:00Z", "2300-01-01T00:00:00Z"])
            .joined(separator: "\n") + "\n", in: folder)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.columns.map(\.type) == [.string])
        let widening = try #require(summary.widening)
        #expect(widening.row == CSVImporter.sampleRows + 2 && widening.value == "2300-01-01T00:00:00Z")
    }

    /// String fields go to the writer as ranges of the block's text: a kept dictionary reads
    /// them in place, and one given up in the middle of a block (past 65,536 distinct values)
    /// writes the rows before from its entries and the rest from the text, nulls and quoted
    /// empty values among them.
    @Test func stringColumnsFromTheBlocksText() throws {
        let folder = try TemporaryFolder("csv-api-string-ranges")
        let rows = DictionaryPolicy.automaticMaxEntries + 5_000
        func many(_ row: Int) -> String? { row % 97 == 0 ? nil : row % 89 == 0 ? "" : "value-\(row)" }
        func few(_ row: Int) -> String? { row % 31 == 0 ? nil : ["JFK", "LGA", "EWR", "é"][row % 4] }
        func field(_ value: String?) -> String { value.map { $0.isEmpty ? "\"\"" : $0 } ?? "NA" }
        let text = "many,few\n" + (0..<rows).map { field(many($0)) + "," + field(few($0)) + "\n" }.joined()
        let input = try Self.write(text, in: folder)
        let summary = try CSVImporter(CSVImporter.Settings(input: input, output: folder.file("out.col"))).run()
        #expect(summary.columns.map(\.type) == [.string, .string])
        let reader = try ColFileReader.open(folder.file("out.col"))
        #expect(try reader.columns.map(\.physicalType) == [.string, .dictionary])
        let manyColumn = try reader.stringColumn("many")
        let fewColumn = try reader.dictionaryColumn("few")
        #expect((0..<rows).allSatisfy { manyColumn.value(at: $0) == many($0) })
        #expect((0..<rows).allSatisfy { fewColumn.string(at: $0) == few($0) })
    }

    @Test func errorsSayWhatKindTheyAre() throws {
        let folder = try TemporaryFolder("csv-api-errors")
        let input = try Self.write("a,b\n1,2\n3\n", in: folder)
        let output = folder.file("out.col")
        let ragged = #expect(throws: CSVError.self) {
            try CSVImporter(CSVImporter.Settings(input: input, output: output)).run()
        }
        #expect(ragged == CSVError(.invalidCSV, "\(input): row 2 has 1 field, expected 2"))
        var settings = CSVImporter.Settings(input: input, output: output)
        settings.schema = ["c": CSVSchemaType(.int64)]
        let unknown = #expect(throws: CSVError.self) { try CSVImporter(settings).run() }
        #expect(unknown?.kind == .invalidOption)
        #expect(throws: CSVError.self) { try CSVSchema.parse("a:int65") }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// Quoted fields keep their quotes in the scanner's text (a doubled quote made one) and their
    /// ranges leave them out, whichever read of the file a quote falls at the end of.
    @Test(arguments: [3, 4, 5, 7, 8, 13, 1 << 20])
    func scannerSplitsQuotedFields(bufferSize: Int) throws {
        let folder = try TemporaryFolder("csv-api-scanner")
        let input = try Self.write("\u{FEFF}a,\"b,\"\"c\"\"\"\r\n\"x\ny\",z\n\"\",\"\"\"\"\n\"q\"", in: folder)
        let fd = try FileDescriptor.open(FilePath(input), .readOnly)
        defer { try? fd.close() }
        let scanner = CSVScanner(input: fd, delimiter: UInt8(ascii: ","), bufferSize: bufferSize)
        #expect(try scanner.nextRecords(10, stoppingAt: 1 << 20) == 4)
        let fields = (0..<scanner.fieldEnds.count).map { String(decoding: scanner.text[scanner.fieldRange($0)], as: UTF8.self) }
        #expect(fields == ["a", "b,\"c\"", "x\ny", "z", "", "\"", "q"])
        #expect((0..<scanner.fieldEnds.count).map(scanner.isFieldQuoted) == [false, true, true, false, true, true, true])
        #expect(scanner.fieldEnds.map { $0 & 1 } == [0, 1, 1, 0, 1, 1, 1])
        #expect(scanner.recordStarts == [0, 2, 4, 6])
        #expect(String(decoding: scanner.text, as: UTF8.self) == "a,\"b,\"c\"\"\r\"x\ny\",z\n\"\",\"\"\"\n\"q\"\n")
    }
}
