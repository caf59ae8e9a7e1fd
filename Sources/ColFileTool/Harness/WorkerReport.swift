/// What one worker measured, as it sends it to the harness (and as `--json` prints it).
struct WorkerReport: Codable, Sendable, Equatable {
    /// The worker's process id.
    var pid: Int32
    /// Microseconds to open the file (`mmap` and validation; in copy mode, reading it all too).
    var openMicros: Int
    /// Milliseconds to scan the chosen columns and compute their checksum.
    var scanMillis: Double
    /// Pss just before opening the file, with every worker already running.
    var pssBeforeKiB: Int
    /// Rss after the scan, while every worker still holds the file.
    var rssKiB: Int
    /// Pss after the scan, while every worker still holds the file.
    var pssKiB: Int
    /// Shared_Clean after the scan.
    var sharedCleanKiB: Int
    /// Private_Clean after the scan.
    var privateCleanKiB: Int
    /// Private_Dirty after the scan.
    var privateDirtyKiB: Int
    /// Pss_File after the scan, where the kernel reports it.
    var pssFileKiB: Int?
    /// The checksum of the chosen columns, 16 hex digits.
    var checksum: String
    /// Bytes of the chosen columns the scan touched (decoded bytes for compressed columns).
    var bytesTouched: Int
    /// The size of the file.
    var fileBytes: Int
    /// Whether, after the scan, the path no longer names the file the worker opened.
    var fileReplaced: Bool

    /// Pss added between opening the file and the end of the scan.
    var pssGrowthKiB: Int { pssKiB - pssBeforeKiB }
}
