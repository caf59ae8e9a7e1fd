import ArgumentParser
import ColFile
import FoundationEssentials
import Glibc

/// `colfile harness-filler DRAFT` (hidden): one worker of the draft-fill scenario. Claims ranges
/// of the draft's rows until none is left and fills them as ``FillJob`` says, printing a line per
/// step: `claimed INDEX ATTEMPT`, `done INDEX`, then `report JSON`. A resumed range (its claimer
/// died) is cleared first. With `--stall-at N` it stops halfway through its Nth range, prints
/// `stalled INDEX` and waits to be killed. With `--barrier FILE` it prints `finished` when no
/// range is left and waits for FILE to exist before it reads its memory share, so that every filler
/// measures at the same moment (a filler that measured earlier could count pages of the file that
/// another maps later).
struct HarnessFillerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harness-filler",
        abstract: "One worker filling a draft (for the draft-fill scenario).",
        shouldDisplay: false
    )

    @Option(help: "Stop halfway through this claim (1 = the first) and wait to be killed.")
    var stallAt: Int?

    @Option(help: "Print `finished` and wait until this file exists before measuring.")
    var barrier: String?

    @Argument(help: "The draft, made with the FillJob columns.")
    var draft: String

    /// What a filler reports at its end.
    struct Report: Codable {
        /// Its process id.
        var pid: Int32
        /// The ranges it finished.
        var ranges: Int
        /// Of those, the ones a dead claimer had started.
        var resumed: Int
        /// The rows it wrote.
        var rows: Int
        /// Its anonymous pages plus its share of the draft's pages after opening the draft and before
        /// writing, in KiB (``MemoryRollup/shareKiB(ofAnonymousPagesAndFile:)``).
        var pssBeforeKiB: Int
        /// The same after its last range, in KiB.
        var pssAfterKiB: Int
    }

    func run() throws {
        let opened = try ColFileDraft.open(draft)
        let values = try opened.column("value", as: Double.self)
        let counts = try opened.atomicColumn("count", as: Int64.self)
        let queue = try opened.workQueue()
        let before = try MemoryRollup.shareKiB(ofAnonymousPagesAndFile: draft)
        var report = Report(pid: getpid(), ranges: 0, resumed: 0, rows: 0, pssBeforeKiB: before, pssAfterKiB: 0)
        var claims = 0
        while let claim = try queue.claim() {
            claims += 1
            try HarnessWriterCommand.say("claimed \(claim.index) \(claim.attempt)")
            if claim.isResumed {
                values.setNull(rows: claim.rows)
                for row in claim.rows { counts.store(0, at: row) }
            }
            let rows = claims == stallAt ? claim.rows.prefix(claim.rows.count / 2) : claim.rows
            values.fill(rows: rows) { span in
                for index in span.indices { span[index] = FillJob.value(rows.lowerBound + index) }
            }
            for row in rows { counts.loadThenAdd(1, at: row) }
            if claims == stallAt {
                try HarnessWriterCommand.say("stalled \(claim.index)")
                while true { sleep(60) }
            }
            claim.finish()
            report.ranges += 1
            report.rows += rows.count
            if claim.isResumed { report.resumed += 1 }
            try HarnessWriterCommand.say("done \(claim.index)")
        }
        if let barrier {
            try HarnessWriterCommand.say("finished")
            while !FileManager.default.fileExists(atPath: barrier) { usleep(2_000) }
        }
        report.pssAfterKiB = try MemoryRollup.shareKiB(ofAnonymousPagesAndFile: draft)
        try HarnessWriterCommand.say("report " + String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }
}
