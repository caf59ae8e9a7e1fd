import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// The writer's table of scalar fixed-width columns (`tableAppender`, the path a CSV import
/// takes) writes the same file, byte for byte, as the public streams given the same appends:
/// small columns held in its shared pool, a column that outgrows it (moved to a spill), nulls
/// from the first row or later, values appended one at a time or in runs, a column finished
/// early, and compressed columns.
@Suite struct ColumnTableTests {
    /// One append to a column of the test.
    private enum Step {
        case values([Int64])
        case one(Int64?)
        case nulls(Int)
    }

    /// The columns: name and steps.
    private static let columns: [(String, [Step])] = [
        ("small", [.values(Array(0..<40))]),
        ("leadingNulls", [.nulls(3), .one(5), .values([6, 7]), .one(nil), .values(Array(0..<34))]),
        ("oneByOne", (0..<40).map { .one($0 % 9 == 4 ? nil : Int64($0) * 1_000_003) }),
        // 40 runs of 1,000 values: 320 KB, past the 256 KiB a column keeps in the pool.
        ("large", (0..<40).map { run in .values((0..<1_000).map { Int64(run * 1_000 + $0) }) }),
        ("early", [.values(Array(100..<140))]),
    ]

    /// Appends `steps` through the three calls given.
    private static func append(_ steps: [Step], values: ([Int64]) throws -> Void, one: (Int64?) throws -> Void,
                               nulls: (Int) throws -> Void) throws {
        for step in steps {
            switch step {
            case .values(let run): try values(run)
            case .one(let value): try one(value)
            case .nulls(let count): if count > 0 { try nulls(count) }
            }
        }
    }

    /// Rows of each column (all columns must have as many).
    private static func rows(_ steps: [Step]) -> Int {
        steps.reduce(0) { total, step in
            switch step {
            case .values(let run): total + run.count
            case .one: total + 1
            case .nulls(let count): total + count
            }
        }
    }

    /// Writes the columns through streams (`table` false) or the table, padding every column to
    /// the longest one with nulls, "early" finished before the others are appended.
    private static func write(_ path: String, table: Bool, compression: Compression) throws {
        let writer = try ColFileWriter(path: path, options: .init(fileID: Array(repeating: 7, count: 16), syncsToDisk: false))
        writer.defaultCompression = compression
        let longest = columns.map { rows($0.1) }.max()!
        if table { writer.reserveColumns(columns.count, namesAreDistinct: true) }
        var finishers: [String: () throws -> Void] = [:]
        var appends: [(String, () throws -> Void)] = []
        for (name, steps) in columns {
            let padding = longest - rows(steps)
            typealias Calls = (values: ([Int64]) throws -> Void, one: (Int64?) throws -> Void,
                               nulls: (Int) throws -> Void, finish: () throws -> Void)
            let calls: Calls
            if table {
                let appender = try writer.tableAppender(name, of: Int64.self)
                calls = ({ try appender.append(contentsOf: $0) }, { try appender.append($0) },
                         { try appender.appendNulls($0) }, { try appender.finish() })
            } else {
                let stream = try writer.streamColumn(name, of: Int64.self)
                calls = ({ try stream.append(contentsOf: $0) }, { try stream.append($0) },
                         { try stream.appendNulls($0) }, { try stream.finish() })
            }
            finishers[name] = calls.finish
            appends.append((name, {
                try append(steps, values: calls.values, one: calls.one, nulls: calls.nulls)
                if padding > 0 { try calls.nulls(padding) }
            }))
        }
        for (name, append) in appends where name == "early" {
            try append()
            try finishers[name]!()
        }
        for (name, append) in appends where name != "early" { try append() }
        try writer.finish()
    }

    @Test(arguments: [Compression.none, .zstd(), .auto()])
    func theTableWritesWhatTheStreamsWrite(_ compression: Compression) throws {
        let folder = try TemporaryFolder("table")
        let streams = folder.file("streams.col")
        let table = folder.file("table.col")
        try Self.write(streams, table: false, compression: compression)
        try Self.write(table, table: true, compression: compression)
        let expected = try Data(contentsOf: URL(fileURLWithPath: streams))
        let written = try Data(contentsOf: URL(fileURLWithPath: table))
        #expect(written == expected)

        let reader = try ColFileReader.open(table)
        #expect(try reader.columns.map(\.name) == ["early", "small", "leadingNulls", "oneByOne", "large"])
        let large = try reader.column("large", as: Int64.self)
        #expect(large.count == 40_000)
        #expect(large[39_999] == 39_999)
        let nulls = try #require(try reader.columns.first { $0.name == "leadingNulls" })
        #expect(nulls.nullCount == 4 + 40_000 - 41)
    }

    /// Writes Date and Timestamp columns (with and without a time zone) and a Float64 column,
    /// through streams (`table` false) or the table, which keeps a column's name and types in its
    /// state rather than its declaration.
    private static func writeTyped(_ path: String, table: Bool) throws {
        let writer = try ColFileWriter(path: path, options: .init(fileID: Array(repeating: 9, count: 16), syncsToDisk: false))
        if table { writer.reserveColumns(4, namesAreDistinct: true) }
        let days: [Int32] = [0, 1, -1, 19_000]
        let instants: [Int64] = [0, 1_700_000_000_000, -5, 42]
        if table {
            try writer.tableAppender("day", of: Int32.self, logicalType: .date).append(contentsOf: days)
            try writer.tableAppender("zoned", of: Int64.self, logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
                .append(contentsOf: instants)
            try writer.tableAppender("local", of: Int64.self, logicalType: .timestamp(unit: .nanoseconds, timeZone: nil))
                .append(contentsOf: instants)
            try writer.tableAppender("price", of: Double.self).append(contentsOf: [1.5, 2, 3, 4])
        } else {
            try writer.streamColumn("day", of: Int32.self, logicalType: .date).append(contentsOf: days)
            try writer.streamColumn("zoned", of: Int64.self, logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
                .append(contentsOf: instants)
            try writer.streamColumn("local", of: Int64.self, logicalType: .timestamp(unit: .nanoseconds, timeZone: nil))
                .append(contentsOf: instants)
            try writer.streamColumn("price", of: Double.self).append(contentsOf: [1.5, 2, 3, 4])
        }
        try writer.finish()
    }

    @Test func tableColumnsKeepTheirLogicalTypes() throws {
        let folder = try TemporaryFolder("table-typed")
        let streams = folder.file("streams.col")
        let table = folder.file("table.col")
        try Self.writeTyped(streams, table: false)
        try Self.writeTyped(table, table: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: table)) == Data(contentsOf: URL(fileURLWithPath: streams)))
        let reader = try ColFileReader.open(table)
        let types = try reader.columns.map { [$0.name: $0.logicalType] }
        #expect(types == [["day": .date], ["zoned": .timestamp(unit: .milliseconds, timeZone: "UTC")],
                          ["local": .timestamp(unit: .nanoseconds, timeZone: nil)], ["price": LogicalType.none]])
    }

    /// Table columns in runs that a stream interrupts, and more of them than one table holds
    /// without a reservation (1,024: a second table starts): each run's columns are written, in
    /// the order they were opened, between the streams opened around them.
    @Test func tableRunsBetweenStreamsAndAcrossTablesKeepTheirOrder() throws {
        let folder = try TemporaryFolder("table-runs")
        let path = folder.file("runs.col")
        let writer = try ColFileWriter(path: path, options: .init(syncsToDisk: false))
        var names: [String] = []
        for column in 0..<1_100 {
            let name = "c\(column)"
            names.append(name)
            if column % 400 == 399 {
                try writer.streamColumn(name, of: Int64.self).append(contentsOf: [Int64(column), -1])
            } else {
                try writer.tableAppender(name, of: Int64.self).append(contentsOf: [Int64(column), -1])
            }
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        #expect(try reader.columns.map(\.name) == names)
        for column in [0, 398, 399, 400, 1_023, 1_024, 1_025, 1_099] {
            #expect(Array(try reader.column("c\(column)", as: Int64.self)) == [Int64(column), -1])
        }
    }

    @Test func aTableColumnOfAnotherRowCountIsRefused() throws {
        let folder = try TemporaryFolder("table-rows")
        let writer = try ColFileWriter(path: folder.file("rows.col"), options: .init(syncsToDisk: false))
        writer.reserveColumns(2, namesAreDistinct: true)
        let first = try writer.tableAppender("a", of: Double.self)
        let second = try writer.tableAppender("b", of: Double.self)
        try first.append(contentsOf: [1, 2, 3])
        try second.append(contentsOf: [1, 2])
        #expect(throws: ColFileError.self) { try writer.finish() }
    }
    /// Columns opened in one call (`openTableColumns`, an import's way), more than a table holds
    /// without `reserveColumns` (1,024), go on in new tables and write what the streams write.
    @Test func aRunOpenedInOneCallWritesWhatTheStreamsWrite() throws {
        let folder = try TemporaryFolder("table-run")
        let count = 2_500
        func write(_ path: String, inOneCall: Bool) throws {
            let writer = try ColFileWriter(path: path, options: .init(fileID: Array(repeating: 5, count: 16), syncsToDisk: false))
            if inOneCall {
                var appenders: [TableColumnAppender<Int64>] = []
                try writer.openTableColumns(count, column: { ("c\($0)", .int64, .none) }) { index, slot in
                    #expect(index == appenders.count)
                    appenders.append(slot.appender(of: Int64.self))
                }
                for (index, appender) in appenders.enumerated() { try appender.append(contentsOf: [Int64(index), -1]) }
            } else {
                let streams = try (0..<count).map { try writer.streamColumn("c\($0)", of: Int64.self) }
                for (index, stream) in streams.enumerated() { try stream.append(contentsOf: [Int64(index), -1]) }
            }
            try writer.finish()
        }
        try write(folder.file("streams.col"), inOneCall: false)
        try write(folder.file("run.col"), inOneCall: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file("run.col")))
                    == Data(contentsOf: URL(fileURLWithPath: folder.file("streams.col"))))
        let reader = try ColFileReader.open(folder.file("run.col"))
        #expect(try reader.column("c2499", as: Int64.self)[0] == 2_499)
    }

    /// A run stops at the first column `tableAppender` would refuse, with its error; the columns
    /// before it are started, none after it.
    @Test(arguments: [("", "column names must be 1 to 1024 bytes of UTF-8"),
                      ("c0", "a column of this name was already added")])
    func aRunStopsAtTheFirstColumnItWouldRefuse(badName: String, message: String) throws {
        let folder = try TemporaryFolder("table-run-refused")
        let writer = try ColFileWriter(path: folder.file("out.col"), options: .init(syncsToDisk: false))
        defer { writer.abandon() }
        var opened: [Int] = []
        let error = #expect(throws: ColFileError.self) {
            try writer.openTableColumns(3, column: { ($0 == 1 ? badName : "c\($0)", .int64, .none) }) { index, _ in
                opened.append(index)
            }
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.description.hasSuffix(message) == true, "\(error?.description ?? "")")
        #expect(opened == [0])
    }
}
