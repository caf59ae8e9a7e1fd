import ArgumentParser
import ColFile
import ColFileCSV

/// `colfile harness FILE --processes N`: starts N reader processes on one file and shows, from
/// the kernel's own accounting (`/proc/PID/smaps_rollup`), whether they share one copy of it;
/// `--scenario NAME` runs one of the fault scenarios instead (``HarnessScenario``).
struct HarnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness",
        abstract: "Start N reader processes on one file and measure, with the kernel's Pss, how much memory they share.",
        discussion: """
            Each worker (this executable, run as a hidden `harness-worker`) records its Pss, opens \
            FILE, checksums the chosen columns through the library's views, waits until every worker \
            has scanned, then reads its own /proc/self/smaps_rollup. The harness prints one row per \
            worker and the totals: summed Pss, bytes touched per worker (decoded bytes for \
            compressed columns) and the sharing ratio Σ(Pss after scan − Pss before open) ÷ bytes \
            touched, about 1 when the workers share one copy (--mode shared, the default) and about \
            N when each holds its own (--mode copy reads the file into private memory).

            Scenarios (--scenario NAME): \
            republish (a writer publishes new versions while readers reopen; every open sees one \
            complete version, old versions stay readable); \
            writer-killed (a writer killed with SIGKILL at seeded random moments never leaves a \
            partial file; --named-temporary forces named temporary files, which `colfile clean` \
            removes); \
            reader-killed (one reader killed mid-scan disturbs no other; needs FILE); \
            unlinked (readers keep reading a copy of FILE deleted while they map it); \
            truncated (readers scanning a copy of FILE in a loop while it is truncated to half its \
            size: each reports the change and exits cleanly, none dies of SIGBUS); \
            many-readers (32 processes attach to FILE at once; sharing ratio ≈ 1); \
            draft-fill (--processes workers fill a draft of --rows rows, a Float64 result and an \
            Int64 counter, by claiming ranges; one is killed mid-range and a new one resumes; the \
            sealed file must verify and hold exactly the expected values, and the workers' summed \
            Pss growth be one copy of what they wrote); \
            dataset-republish (readers hold version 1 of a dataset while `colfile dataset` \
            processes publish version 2, garbage-collect version 1 and publish version 3; every \
            reader still reads version 1 whole, then version 3). \
            republish, writer-killed, draft-fill and dataset-republish write their own files in --dir.

            Examples:
              colfile harness data.col --processes 4
              colfile harness data.col --processes 4 --mode copy --columns price,qty
              colfile harness --scenario writer-killed --runs 20 --seed 7
              colfile harness --scenario many-readers data.col
              colfile harness --scenario draft-fill --rows 67108864 --seed 3

            Exit status 3: a worker failed, the checksums disagree, or a scenario's check failed \
            (named on stderr).
            """
    )

    @Option(help: "The number of reader processes (default: 4; 32 for many-readers).")
    var processes: Int?

    @Option(help: "Comma-separated names of the columns to scan (default: all).")
    var columns: String?

    @Option(help: "shared: map the file (default); copy: read it into each worker's private memory.")
    var mode: HarnessMode = .shared

    @Option(help: "all: hash every value (default); pages: hash one row per page, still reading every page (quick in debug builds).")
    var checksum: ChecksumSampling = .all

    @Option(help: "The shared decode cache folder the workers use for compressed columns (default: the library's).")
    var cacheDir: String?

    @Option(help: "Run a fault scenario: \(HarnessScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: HarnessScenario?

    @Option(help: "Seed of the scenarios' random choices (kill moments, which reader dies).")
    var seed: UInt64 = 1

    @Option(help: "writer-killed: the number of writers to kill.")
    var runs = 20

    @Option(help: "republish: the number of versions the writer publishes.")
    var versions = 12

    @Option(help: "republish, writer-killed: rows of each generated version (dataset-republish: a tenth of it per shard); draft-fill: rows of the draft.")
    var rows = 200_000

    @Option(help: "draft-fill: rows in each range the workers claim (a multiple of 64).")
    var rowsPerRange = ColFileDraft.defaultRowsPerRange

    @Option(help: "draft-fill: where to keep the sealed file (default: removed with the scenario's folder).")
    var output: String?

    @Flag(help: "writer-killed: make the writers use named temporary files instead of O_TMPFILE.")
    var namedTemporary = false

    @Option(help: "republish, writer-killed, unlinked, truncated, draft-fill, dataset-republish: folder for the scenario's files (default: a new one in the temporary folder, removed after).")
    var dir: String?

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Argument(help: "The colfile file to read (not needed by republish and writer-killed).")
    var file: String?

    func validate() throws {
        if let processes, processes < 1 { throw ValidationError("--processes must be at least 1") }
        let names: [String]?
        do {
            names = try columns.map(Self.columnList)
        } catch let failure as CSVError {
            throw ValidationError(failure.description)
        }
        if let names, names.contains(where: \.isEmpty) {
            throw ValidationError("--columns takes non-empty column names separated by commas")
        }
        guard runs >= 1, versions >= 2, rows >= 1 else {
            throw ValidationError("--runs and --rows must be at least 1, --versions at least 2")
        }
        if file == nil && !(scenario?.makesItsOwnFile ?? false) {
            throw ValidationError("missing FILE (only the republish, writer-killed, draft-fill and dataset-republish scenarios work without one)")
        }
    }

    func run() async throws {
        if let scenario {
            let result = try await scenario.run(self)
            print(json ? try result.json() : result.text())
            guard result.passed else {
                throw ToolFailure.checkFailed("scenario \(scenario.rawValue) failed: \(result.failures[0])")
            }
        } else {
            let report = try await measure(file: file!, processes: processes ?? 4, mode: mode)
            print(json ? try report.json() : report.table())
            guard report.passed else {
                throw ToolFailure.checkFailed(report.failures.first ?? "the workers' checksums disagree")
            }
        }
    }

    /// Runs `processes` workers on `file` in `mode` with this command's column and checksum choices.
    func measure(file: String, processes: Int, mode: HarnessMode, workerOptions: [String] = [],
                 pool: (inout WorkerPool) -> Void = { _ in }) async throws -> HarnessReport {
        var arguments = ["--mode", mode.rawValue, "--checksum", checksum.rawValue] + workerOptions
        if let columns { arguments += ["--columns", columns] }
        if let cacheDir { arguments += ["--cache-dir", cacheDir] }
        var workers = WorkerPool(arguments: arguments + ["--", file], count: processes)
        pool(&workers)
        let outcomes = try await workers.run()
        return HarnessReport(processes: processes, mode: mode, file: file, outcomes: outcomes)
    }

    /// `a,b` as `["a", "b"]` (``NameList``), keeping empty names so that `validate()` can refuse them.
    static func columnList(_ text: String) throws -> [String] {
        try NameList.split(text, option: "--columns")
    }
}
