import ArgumentParser

/// `colfile draft`: create, inspect and seal drafts, writable tables that processes fill in
/// place before they become colfile files (Specification.md §15).
struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Create, inspect and seal drafts: tables that processes fill in place, then seal into a colfile file.",
        discussion: """
            A draft (by default TARGET.draft beside the file it becomes) holds fixed-width and Bool \
            columns whose rows any process writes in place through a shared mapping (the Swift \
            library's ColFileDraft, the Python package's colfile.create_draft/open_draft). Workers \
            split the rows by claiming ranges; a worker that dies leaves its range to the next \
            claim. Sealing computes null counts and checksums, writes the directory and publishes \
            the file atomically, in place, without copying the data.

            Examples:
              colfile draft create results.col.draft --rows 1000000 --column score:float64 --column visits:int64:zero
              colfile draft status results.col.draft
              colfile draft seal results.col.draft --wait 30 --require-done
            """,
        subcommands: [DraftCreateCommand.self, DraftStatusCommand.self, DraftSealCommand.self]
    )
}
