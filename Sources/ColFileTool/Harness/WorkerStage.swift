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
