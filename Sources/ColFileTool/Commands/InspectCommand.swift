import ArgumentParser
import ColFile
import ColFileCSV

/// `colfile inspect FILE`: what a file holds, as a readable summary or as JSON.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a file's version, identity, size, metadata and columns.",
        discussion: """
            Opening validates the header and directory (Specification.md §9) without reading the \
            column data. The text form shows one line per column: physical and logical type, shape, \
            nulls, stored bytes, the offset and alignment of its first buffer, and the CRC-32 of its \
            values buffer. The JSON form adds every buffer of every column. The --schema form \
            prints the columns' types as `colfile import --schema` takes them, so a CSV export \
            imports back with the same types.

            Examples:
              colfile inspect trades.col
              colfile inspect --json trades.col | jq '.columns[].name'
              colfile import --schema "$(colfile inspect --schema a.col)" a.csv b.col
            """
    )

    @Flag(help: "Print one JSON object (keys sorted) instead of the readable summary.")
    var json = false

    @Flag(help: "Print the columns' types as NAME:TYPE,... for `colfile import --schema`.")
    var schema = false

    @Argument(help: "The colfile file to inspect.")
    var file: String

    func validate() throws {
        guard !(json && schema) else { throw ValidationError("--json and --schema cannot be used together") }
    }

    func run() throws {
        let reader = try SingleFile.open(file, datasetCommand: "inspect")
        if schema {
            print(try CSVSchema.text(for: reader.columns, file: file))
        } else {
            print(json ? try InspectJSON.render(reader) : try InspectText.render(reader))
        }
    }
}
