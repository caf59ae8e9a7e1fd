import ArgumentParser
import ColFile
import FoundationEssentials

/// `colfile demo`: writes a sample file, then opens and reads it, timing each step.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a sample file, then open it and read it zero-copy, timing each step.",
        discussion: """
            The file has the columns id (Int64), price (Float64), qty (Int32), symbol (String), \
            flag (Bool, with nulls), ts (Timestamp, ms, UTC), day (Date) and embedding (Float32 \
            tensor of shape [8]). Its values are the same on every run. Timings of a debug build \
            (`swift run`) are far from those of a release build (`swift run -c release`). It \
            ends by running `colfile harness` on the file twice, shared and copy, so you see N \
            processes hold one copy of the data instead of N.

            Examples:
              swift run colfile demo
              swift run -c release colfile demo --rows 50000000 --output /var/tmp/demo.col
              colfile demo --processes 0
            """
    )

    @Option(help: "Where to write the file (default: colfile-demo.col in the temporary folder).")
    var output: String = FileManager.default.temporaryDirectory.appendingPathComponent("colfile-demo.col").path

    @Option(help: "The number of rows to write.")
    var rows: Int = 5_000_000

    @Option(help: "Reader processes of the closing harness runs (0 skips them).")
    var processes = 4

    /// Tests use this to cover the writer's named temporary file, which `O_TMPFILE` otherwise replaces.
    @Flag(help: .hidden)
    var namedTemporaryFile = false

    func validate() throws {
        guard rows >= 1 else { throw ValidationError("--rows must be at least 1") }
        guard processes >= 0 else { throw ValidationError("--processes must be at least 0") }
    }

    func run() async throws {
        let columnCount = DemoTable.columnNames.count
        print("colfile demo: \(TextFormatting.grouped(rows)) rows × \(columnCount) columns → \(output)")
        #if DEBUG
        print("  (debug build: for real speed, run `swift run -c release colfile demo`)")
        #endif

        let timings = try DemoTable.write(rows: rows, to: output, namedTemporaryFile: namedTemporaryFile)
        let (reader, openTime) = try timed { try ColFileReader.open(output) }
        let (_, reopenTime) = try timed { try ColFileReader.open(output) }
        let (firsts, readTime) = try timed { try DemoSample.firstValues(reader) }
        let prices = try reader.column("price", as: Double.self)
        let (total, sumTime) = timed { prices.sum() }
        let priceBytes = rows * MemoryLayout<Double>.size

        var steps = TextTable([("step", .left), ("time", .right), ("", .left)])
        steps.rows = [
            ["generate", TextFormatting.duration(timings.generating), "values made in memory"],
            ["write", TextFormatting.duration(timings.writing),
             "\(TextFormatting.bytes(reader.fileBytes)) at "
                + "\(TextFormatting.throughput(bytes: reader.fileBytes, in: timings.writing)), published atomically"],
            ["open", TextFormatting.duration(openTime),
             "mapped and validated \(reader.columnCount) columns (no data read); "
                + "a second open: \(TextFormatting.duration(reopenTime))"],
            ["read", TextFormatting.duration(readTime), "first values: " + firsts.texts.joined(separator: ", ")],
            ["sum", TextFormatting.duration(sumTime),
             "sum(price) = \(TextFormatting.fixed(total, digits: 2)) over \(TextFormatting.bytes(priceBytes)) at "
                + "\(TextFormatting.throughput(bytes: priceBytes, in: sumTime)), zero-copy"],
        ]
        print(steps.lines(indent: "  ", header: false).joined(separator: "\n"))
        print("")
        print(try DemoSample.rows(reader, count: min(5, rows)).lines(indent: "  ").joined(separator: "\n"))
        print("")
        if processes > 0 { try await DemoSharing.run(file: output, processes: processes) }
        print("  file: \(TextFormatting.grouped(reader.fileBytes)) bytes; next: colfile inspect \(output)")
    }
}
