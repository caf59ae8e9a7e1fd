/// The line protocol between `colfile harness` and its `harness-worker` processes.
///
/// A worker writes one line to standard output at each stage and, at the stages that have a
/// ``reply``, waits for that line on standard input before going on; the harness sends it once
/// every live worker has reached the stage, so the stages are barriers across all workers:
///
/// 1. `ready` → `go`: every worker is running; each then records its Pss and opens the file.
/// 2. `opened` → `scan`: every worker has the file open (the *unlinked* scenario deletes it here).
/// 3. `scanning`: a worker started its scan (no reply; the *reader killed* scenario kills here).
/// 4. `scanned` → `measure`: every worker has scanned; each reads its own `smaps_rollup`.
/// 5. `report JSON`: the worker's ``WorkerReport``. It then waits for end of input and exits 0.
///
/// A worker whose input ends early (the harness is gone) exits with status 3 without a message.
enum WorkerStage: String, Sendable, CaseIterable {
    /// The worker runs.
    case ready
    /// The worker has opened (or read) the file.
    case opened
    /// The worker starts to scan.
    case scanning
    /// The worker has scanned the chosen columns.
    case scanned
    /// The worker reports (the line carries a ``WorkerReport`` as JSON).
    case report

    /// The line the harness answers with once all workers reached this stage, if any.
    var reply: String? {
        switch self {
        case .ready: "go"
        case .opened: "scan"
        case .scanned: "measure"
        case .scanning, .report: nil
        }
    }

    /// Whether the harness waits for every worker at this stage.
    var isBarrier: Bool { self != .scanning }
}

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
