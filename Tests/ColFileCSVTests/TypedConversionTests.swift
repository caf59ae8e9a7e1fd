import ColFile
@testable import ColFileCSV
import ColFileTestSupport
import Foundation
import Testing

/// The typed loops' fast paths (plain fields gathered in a loop of their own, field places read
/// without a check each, a String column's ranges written in place) give the values the long
/// way gives: every kind of field a typed column meets, side by side in runs longer and shorter
/// than a gathered run, in blocks of 6 and 36 columns (a thread takes one at a time) and in one
/// wide enough for a thread to take its columns several at a time (390: six at a time, whose
/// text ``BlockStep/prefetchText(of:in:records:)`` asks for first; 300 rows), on one thread
/// and on two.
@Suite struct TypedConversionTests {
    /// One column's fields as written and the values they should read back as (nil: null).
    private struct Column {
        var name: String
        var fields: [String] = []
        var ints: [Int64?] = []
        var doubles: [Double?] = []
        var bools: [Bool?] = []
        var strings: [String?] = []
    }

    /// Column `index`'s kind (`index % 6`): Int64, Float64, Bool, Date, Timestamp, String.
    /// Imports `text` (written to `input.csv` of `folder`) into `out.col` of `folder` on
    /// `threads` threads, without dictionaries; returns the summary and the settings used.
    private static func importText(_ text: String, in folder: TemporaryFolder, threads: Int? = nil) throws
        -> (CSVImporter.Summary, CSVImporter.Settings) {
        let input = folder.file("input.csv")
        try Files.write(Array(text.utf8), to: input)
        var settings = CSVImporter.Settings(input: input, output: folder.file("out.col"))
        if let threads { settings.threads = threads }
        settings.dictionary = .never
        return (try CSVImporter(settings).run(), settings)
    }

    private static func column(_ index: Int, rows: Int, generator: inout SplitMix64) -> Column {
        var column = Column(name: "c\(index)")
        // Runs: long plain stretches (past the 128 values gathered at a time), then a few rows of
        // anything, so that the loop leaves and takes up its fast path at every kind of field.
        func pick(_ row: Int) -> Int {
            let phase = row % 300
            return phase < 150 ? 0 : Int(generator.next() % 8)
        }
        for row in 0..<rows {
            let kind = pick(row)
            switch index % 6 {
            case 0:
                let value = Int64(generator.next() % 100_000_000)
                switch kind {
                case 1: column.fields.append("NA"); column.ints.append(nil)
                case 2: column.fields.append(""); column.ints.append(nil)
                case 3: column.fields.append("\"\(value)\""); column.ints.append(value)
                case 4: column.fields.append("\"\""); column.ints.append(nil)
                case 5: column.fields.append("+\(value)"); column.ints.append(value)
                case 6: column.fields.append("-\(value)123456"); column.ints.append(-(value * 1_000_000 + 123_456))
                default: column.fields.append("\(value)"); column.ints.append(value)
                }
            case 1:
                let cents = Int64(generator.next() % 10_000_000)
                let value = Double(cents) / 100
                switch kind {
                case 1: column.fields.append("NA"); column.doubles.append(nil)
                case 2: column.fields.append("\"\(cents / 100).\(String(format: "%02d", cents % 100))\""); column.doubles.append(value)
                case 3: column.fields.append("\(cents)"); column.doubles.append(Double(cents))
                case 4: column.fields.append("-\(cents / 100).\(String(format: "%02d", cents % 100))123"); column.doubles.append(-(Double(cents * 1000 + 123) / 100_000))
                default: column.fields.append("\(cents / 100).\(String(format: "%02d", cents % 100))"); column.doubles.append(value)
                }
            case 2:
                let value = generator.next() % 2 == 0
                switch kind {
                case 1: column.fields.append("NULL"); column.bools.append(nil)
                case 2: column.fields.append(value ? "TRUE" : "False"); column.bools.append(value)
                case 3: column.fields.append(value ? "\"true\"" : "\"false\""); column.bools.append(value)
                default: column.fields.append(value ? "true" : "false"); column.bools.append(value)
                }
            case 3:
                let day = Int64(generator.next() % 28) + 1
                switch kind {
                case 1: column.fields.append("NA"); column.ints.append(nil)
                default: column.fields.append("2024-02-\(String(format: "%02d", day))"); column.ints.append(19_753 + day)  // 2024-02-01 is day 19,754
                }
            case 4:
                let millisecond = Int64(generator.next() % 86_400_000)
                let seconds = millisecond / 1000
                let text = "2024-01-02T\(String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))"
                    + ".\(String(format: "%03d", millisecond % 1000))"
                let value = 1_704_153_600_000 + millisecond
                switch kind {
                case 1: column.fields.append("NA"); column.ints.append(nil)
                case 2: column.fields.append("\(text)+00:00"); column.ints.append(value)
                case 3: column.fields.append("\"\(text)Z\""); column.ints.append(value)
                default: column.fields.append("\(text)Z"); column.ints.append(value)
                }
            default:
                let value = "s\(generator.next() % 1000)"
                switch kind {
                case 1: column.fields.append("NA"); column.strings.append(nil)
                case 2: column.fields.append("\"\""); column.strings.append("")
                case 3: column.fields.append("\"a,\(value)\""); column.strings.append("a,\(value)")
                default: column.fields.append(value); column.strings.append(value)
                }
            }
        }
        return column
    }

    @Test(arguments: [6, 36, 390], [1, 2])
    func fastPathsReadWhatTheLongWayReads(columns count: Int, threads: Int) throws {
        let seed: UInt64 = 20_261_201 + UInt64(count)
        var generator = SplitMix64(seed: seed)
        let rows = count > 100 ? 300 : 2_000
        let columns = (0..<count).map { Self.column($0, rows: rows, generator: &generator) }
        let folder = try TemporaryFolder("csv-typed-loops")
        var text = columns.map(\.name).joined(separator: ",") + "\n"
        for row in 0..<rows { text += columns.map { $0.fields[row] }.joined(separator: ",") + "\n" }
        let (summary, settings) = try Self.importText(text, in: folder, threads: threads)
        let expectedTypes: [CSVColumnType] = [.int64, .float64, .bool, .date, .timestamp(.milliseconds, zoned: true), .string]
        #expect(summary.columns.map(\.type) == (0..<count).map { expectedTypes[$0 % 6] }, "seed \(seed)")
        let reader = try ColFileReader.open(settings.output)
        for (index, column) in columns.enumerated() {
            switch index % 6 {
            case 0, 4:
                let values = try reader.column(column.name, as: Int64.self)
                #expect((0..<rows).map { values.value(at: $0) } == column.ints, "column \(column.name), seed \(seed)")
            case 1:
                let values = try reader.column(column.name, as: Double.self)
                #expect((0..<rows).map { values.value(at: $0) } == column.doubles, "column \(column.name), seed \(seed)")
            case 2:
                let values = try reader.boolColumn(column.name)
                #expect((0..<rows).map { values.value(at: $0) } == column.bools, "column \(column.name), seed \(seed)")
            case 3:
                let values = try reader.column(column.name, as: Int32.self)
                #expect((0..<rows).map { values.value(at: $0).map(Int64.init) } == column.ints, "column \(column.name), seed \(seed)")
            default:
                let values = try reader.stringColumn(column.name)
                #expect((0..<rows).map { values.value(at: $0) } == column.strings, "column \(column.name), seed \(seed)")
            }
        }
    }

    /// Nulls in runs of 1 to 3 (unquoted, and quoted empty fields) before plain and quoted
    /// values of an Int64 and a Timestamp column: the loop counts the nulls, appends them before
    /// the value after them (which it reads outside its run loop, then goes back to it) and reads
    /// every value as written, in order.
    @Test(arguments: [1, 2])
    func nullRunsBeforeValues(threads: Int) throws {
        let folder = try TemporaryFolder("csv-typed-null-runs")
        let rows = 1_000
        // Row `r` is null when `r % 7` is below `r % 4` (runs of 1 to 3 nulls, then values).
        func isNull(_ row: Int) -> Bool { row % 7 < row % 4 }
        func int(_ row: Int) -> Int64 { Int64(row) * 37 - 5_000 }
        func stamp(_ row: Int) -> String {
            "2024-03-04T05:\(String(format: "%02d:%02d", row / 60 % 60, row % 60)).\(String(format: "%03d", row))Z"
        }
        let text = "i,t\n" + (0..<rows).map { row in
            let null = row % 3 == 0 ? "\"\"" : "NA"
            let quote = row % 5 == 0 ? "\"" : ""
            return isNull(row) ? "\(null),\(null)\n" : "\(quote)\(int(row))\(quote),\(quote)\(stamp(row))\(quote)\n"
        }.joined()
        let (summary, settings) = try Self.importText(text, in: folder, threads: threads)
        let nulls = (0..<rows).filter(isNull).count
        #expect(summary.columns.map(\.type) == [.int64, .timestamp(.milliseconds, zoned: true)])
        #expect(summary.columns.map(\.nulls) == [nulls, nulls])
        let reader = try ColFileReader.open(settings.output)
        let ints = try reader.column("i", as: Int64.self)
        let stamps = try reader.column("t", as: Int64.self)
        // 2024-03-04T05:00:00Z is 1,709,528,400 seconds after the epoch.
        #expect((0..<rows).map { ints.value(at: $0) } == (0..<rows).map { isNull($0) ? nil : int($0) })
        #expect((0..<rows).map { stamps.value(at: $0) }
                    == (0..<rows).map { isNull($0) ? nil : 1_709_528_400_000 + Int64($0 / 60 % 60 * 60_000 + $0 % 60 * 1000 + $0) })
    }

    /// A String column without a null in a block is appended in one piece; one with nulls (and
    /// quoted empty values, which are not null) run by run: both read back the same.
    @Test func stringColumnsWithAndWithoutNulls() throws {
        let folder = try TemporaryFolder("csv-typed-strings")
        let rows = 500
        func plain(_ row: Int) -> String { "v\(row % 37)" }
        func sparse(_ row: Int) -> String? { row % 7 == 0 ? nil : row % 11 == 0 ? "" : "w\(row)" }
        let text = "plain,sparse\n" + (0..<rows).map {
            plain($0) + "," + (sparse($0).map { $0.isEmpty ? "\"\"" : $0 } ?? "NULL") + "\n"
        }.joined()
        let (summary, _) = try Self.importText(text, in: folder)
        #expect(summary.columns.map(\.nulls) == [0, (0..<rows).filter { $0 % 7 == 0 }.count])
        let reader = try ColFileReader.open(folder.file("out.col"))
        let plainColumn = try reader.stringColumn("plain")
        let sparseColumn = try reader.stringColumn("sparse")
        #expect((0..<rows).allSatisfy { plainColumn.value(at: $0) == plain($0) })
        #expect((0..<rows).allSatisfy { sparseColumn.value(at: $0) == sparse($0) })
    }

    /// The typed loop's readers that load a short field's word from the text around it give
    /// what the readers of the field alone give, for every field of 0 to 10 bytes of random
    /// texts, wherever it lies (the word then holds the bytes after the field; near the text's
    /// end it is read from the field alone).
    @Test func readersInTheTextReadWhatTheFieldGives() {
        let seed: UInt64 = 20_261_202
        var generator = SplitMix64(seed: seed)
        let alphabet = Array("0000123456789..-+e,x".utf8)
        for _ in 0..<300 {
            let count = Int(generator.next() % 24)
            let text = (0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let span = text.span
            for start in 0...count {
                for end in start...min(count, start + 10) {
                    let field = span.extracting(start..<end)
                    #expect(CSVValueParser.plainInteger(in: span, at: start..<end) == CSVValueParser.plainInteger(field),
                            "\(String(decoding: text, as: UTF8.self)) at \(start)..<\(end), seed \(seed)")
                    #expect(CSVValueParser.plainNumber(in: span, at: start..<end)?.bitPattern
                                == CSVValueParser.plainNumber(field)?.bitPattern,
                            "\(String(decoding: text, as: UTF8.self)) at \(start)..<\(end), seed \(seed)")
                }
            }
        }
    }
}
