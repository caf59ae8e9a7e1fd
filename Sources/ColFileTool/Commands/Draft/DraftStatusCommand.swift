import ArgumentParser
import ColFile

/// `colfile draft status DRAFT`: the schema and how far the ranges are.
struct DraftStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a draft's columns and how many ranges are done, being worked on, abandoned or free.",
        discussion: """
            Abandoned ranges were claimed by a worker that died (or gave up) before finishing; \
            the next claim takes them. Opening for status counts as a handle while it runs.

            Examples:
              colfile draft status out.col.draft
              colfile draft status --json out.col.draft
            """
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Argument(help: "The draft.")
    var draft: String

    func run() throws {
        let opened = try ColFileDraft.open(draft)
        let progress = opened.progress()
        if json {
            let object: [String: any JSONRepresentable] = [
                "path": draft, "rows": opened.rowCount, "rowsPerRange": opened.rowsPerRange,
                "ranges": progress.total, "done": progress.done, "working": progress.working,
                "abandoned": progress.abandoned, "free": progress.free, "resumed": progress.resumed,
                "interruptedSeal": opened.hasInterruptedSeal,
                "columns": opened.columns.map { column in
                    JSONValue(["name": column.name, "type": "\(column.physicalType)", "shape": column.shape,
                     "initialRows": column.initialRows.rawValue])
                },
            ]
            print(try JSONText.sorted(JSONValue(object), pretty: false))
            return
        }
        print("\(draft): draft, \(TextFormatting.grouped(opened.rowCount)) rows, \(opened.columns.count) columns"
              + (opened.hasInterruptedSeal ? " (a seal was interrupted; seal again)" : ""))
        var table = TextTable([("column", .left), ("type", .left), ("starts", .left)])
        for column in opened.columns {
            let type = column.shape.isEmpty ? "\(column.physicalType)" : "\(column.physicalType)\(column.shape)"
            table.rows.append([column.name, type, column.initialRows.rawValue])
        }
        print(table.lines(indent: "  ").joined(separator: "\n"))
        print("ranges of \(TextFormatting.grouped(opened.rowsPerRange)) rows: \(progress)")
    }
}
