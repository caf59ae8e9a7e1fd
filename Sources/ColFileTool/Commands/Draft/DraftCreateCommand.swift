import ArgumentParser
import ColFile

/// `colfile draft create DRAFT --rows N --column NAME:TYPE ...`.
struct DraftCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a draft of N rows whose columns start null (or zero).",
        discussion: """
            Column types: \(DraftColumnSpec.typeNames.joined(separator: ", ")); a shape in brackets \
            makes a tensor column (float32[768], int8[3,4]); a final :zero makes rows start zero and \
            valid (no nulls, e.g. counters) instead of null. The draft appears whole or not at all, \
            and never replaces a file.

            Examples:
              colfile draft create out.col.draft --rows 1000000 --column score:float64 --column visits:int64:zero
              colfile draft create emb.col.draft --rows 50000 --column vector:float32[768] --rows-per-range 4096
            """
    )

    @Option(help: "The number of rows.")
    var rows: Int

    @Option(name: .customLong("column"), help: "A column, NAME:TYPE[SHAPE][:zero] (repeat for more).")
    var columns: [DraftColumnSpec]

    @Option(help: "Rows in each range workers claim: a multiple of 64.")
    var rowsPerRange = ColFileDraft.defaultRowsPerRange

    @Option(name: .customLong("metadata"), help: "File metadata KEY=VALUE for the sealed file (repeat for more).")
    var metadata: [String] = []

    @Argument(help: "The draft to create (by convention TARGET.draft).")
    var draft: String

    func validate() throws {
        guard !columns.isEmpty else { throw ValidationError("give at least one --column") }
        guard metadata.allSatisfy({ $0.contains("=") }) else { throw ValidationError("--metadata takes KEY=VALUE") }
    }

    func run() throws {
        var entries: [String: String] = [:]
        for entry in metadata {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            entries[String(parts[0])] = String(parts[1])
        }
        let created = try ColFileDraft.create(draft, rowCount: rows, columns: columns.map(\.column),
                                              rowsPerRange: rowsPerRange, metadata: entries)
        print("\(draft): created, \(TextFormatting.grouped(created.rowCount)) rows, \(created.columns.count) columns, "
              + "\(TextFormatting.grouped(created.rangeCount)) ranges of \(TextFormatting.grouped(created.rowsPerRange)) rows")
    }
}
