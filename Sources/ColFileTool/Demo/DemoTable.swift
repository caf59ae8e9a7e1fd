import ColFile

/// The sample table `colfile demo` writes: eight columns of deterministic values, one of each kind
/// the format stores (integers, floats, strings, nullable bools, timestamps, dates, tensors).
enum DemoTable {
    /// Time spent making values in memory and handing them to the writer.
    struct Timings {
        /// Making the values.
        var generating = Duration.zero
        /// Writing them, including publishing the file (`fsync` and `rename`).
        var writing = Duration.zero
    }

    /// The names of the columns, in file order.
    static let columnNames = ["id", "price", "qty", "symbol", "flag", "ts", "day", "embedding"]
    /// The number of values in one row of `embedding`.
    static let embeddingWidth = 8
    /// 2024-01-02T14:30:00Z in milliseconds since the epoch: the timestamp of row 0.
    static let startMilliseconds: Int64 = 1_704_205_800_000
    /// Milliseconds between the timestamps of consecutive rows.
    static let tickMilliseconds: Int64 = 10

    /// The tickers of `symbol`.
    static let tickers = [
        "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "BRK.B", "JPM", "V", "UNH", "XOM",
        "JNJ", "WMT", "MA", "PG", "AVGO", "HD", "CVX", "LLY", "MRK", "ABBV", "KO", "PEP", "COST",
        "ADBE", "CSCO", "ORCL", "CRM", "NFLX", "AMD", "INTC", "ASML", "SAP", "TM", "NVO",
    ]

    /// Writes the table with `rows` rows to `path` (through a named temporary file when
    /// `namedTemporaryFile`, for tests).
    ///
    /// Each column is generated, written and released before the next, so memory holds one column
    /// at a time.
    ///
    /// - Returns: How long generating and writing took.
    /// - Throws: ``ColFileError`` when the file cannot be written.
    static func write(rows: Int, to path: String, namedTemporaryFile: Bool = false) throws -> Timings {
        var timings = Timings()
        var options = ColFileWriter.Options()
        options.useNamedTemporaryFile = namedTemporaryFile
        let writer = try ColFileWriter(path: path, options: options)
        writer.metadata = ["created-by": "colfile demo", "description": "sample trades"]

        func add<Values>(_ generate: () -> Values, _ store: (Values) throws -> Void) throws {
            let (values, generating) = timed(generate)
            timings.generating += generating
            timings.writing += try timed { try store(values) }.duration
        }

        try add({ (0..<rows).map { Int64($0) } }) { try writer.addColumn("id", $0) }
        try add({ (0..<rows).map { 100 + Double(mix($0, 1) % 100_000) / 100 } }) {
            try writer.addColumn("price", $0, metadata: ["currency": "USD"])
        }
        try add({ (0..<rows).map { Int32(1 + mix($0, 2) % 1_000) } }) { try writer.addColumn("qty", $0) }
        try add({ (0..<rows).map { tickers[Int(mix($0, 3) % UInt64(tickers.count))] } }) {
            try writer.addColumn("symbol", $0)
        }
        try add({ (0..<rows).map { $0 % 7 == 3 ? nil : mix($0, 4) % 2 == 0 } }) {
            try writer.addColumn("flag", $0 as [Bool?])
        }
        try add({ (0..<rows).map(timestamp(row:)) }) {
            try writer.addColumn("ts", $0, logicalType: .timestamp(unit: .milliseconds, timeZone: "UTC"))
        }
        try add({ (0..<rows).map { Int32(timestamp(row: $0) / 86_400_000) } }) {
            try writer.addColumn("day", $0, logicalType: .date)
        }
        try add({ (0..<(rows * embeddingWidth)).map { Float(Int(mix($0, 5) % 2_001) - 1_000) / 1_000 } }) {
            try writer.addTensorColumn("embedding", shape: [embeddingWidth], $0)
        }
        timings.writing += try timed { try writer.finish() }.duration
        return timings
    }

    /// The timestamp of `row`, in milliseconds since the epoch.
    static func timestamp(row: Int) -> Int64 {
        startMilliseconds + Int64(row) * tickMilliseconds
    }

    /// A well-mixed 64-bit value from a row number and a column number (SplitMix64's output
    /// function), so values look random but are the same on every run.
    private static func mix(_ row: Int, _ column: UInt64) -> UInt64 {
        SplitMix64.mix(UInt64(truncatingIfNeeded: row) &+ column &* 0x9e37_79b9_7f4a_7c15)
    }
}
