/// What one worker measured, as it sends it to the harness (and as `--json` prints it): its own
/// figures and its process's memory after the scan, in one flat JSON object. Both parts' fields
/// read as the report's own (`report.pssKiB`, `report.checksum`).
@dynamicMemberLookup
struct WorkerReport: Codable, Sendable, Equatable {
    /// The worker's figures other than memory.
    struct Figures: Codable, Sendable, Equatable {
        /// The worker's process id.
        var pid: Int32
        /// Microseconds to open the file (`mmap` and validation; in copy mode, reading it all too).
        var openMicros: Int
        /// Milliseconds to scan the chosen columns and compute their checksum.
        var scanMillis: Double
        /// Pss just before opening the file, with every worker already running.
        var pssBeforeKiB: Int
        /// The checksum of the chosen columns, 16 hex digits.
        var checksum: String
        /// Bytes of the chosen columns the scan touched (decoded bytes for compressed columns).
        var bytesTouched: Int
        /// The size of the file.
        var fileBytes: Int
        /// Whether, after the scan, the path no longer names the file the worker opened.
        var fileReplaced: Bool
        /// `--until-changed`: the scans made until the reader reported the change (nil otherwise).
        var scanPasses: Int?
        /// `--until-changed`: the ``ColFile/ColFileError/Code/fileChanged`` error the reader
        /// reported, as text (nil when it never did, or without the option).
        var fileChanged: String?
        /// `--until-changed`: what opening the path again gave after the change: `ok`, or the code
        /// of the error (nil without the option).
        var reopened: String?
    }

    /// The worker's figures other than memory.
    var figures: Figures
    /// The worker's memory after the scan, while every worker still holds the file.
    var memory: MemoryRollup

    /// The report of `figures` and `memory`.
    init(_ figures: Figures, memory: MemoryRollup) {
        self.figures = figures
        self.memory = memory
    }

    /// Decodes both parts from the same JSON object.
    init(from decoder: any Decoder) throws {
        figures = try Figures(from: decoder)
        memory = try MemoryRollup(from: decoder)
    }

    /// Encodes both parts into one JSON object.
    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        try memory.encode(to: encoder)
    }

    /// A figure of ``figures``.
    subscript<Value>(dynamicMember path: KeyPath<Figures, Value>) -> Value { figures[keyPath: path] }

    /// A figure of ``memory``.
    subscript<Value>(dynamicMember path: KeyPath<MemoryRollup, Value>) -> Value { memory[keyPath: path] }

    /// Pss added between opening the file and the end of the scan.
    var pssGrowthKiB: Int { memory.pssKiB - figures.pssBeforeKiB }
}
