import ArgumentParser
import ColFile

/// `colfile inspect FILE`: what a file holds, as a readable summary or as JSON.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a file's version, identity, size, metadata and columns.",
        discussion: """
            Opening validates the header and directory (Specification.md §9) without reading the \
            column data. The text form shows one line per column: physical and logical type, shape, \
            nulls, stored bytes, the offset and alignment of its first buffer, and the CRC-32 of its \
            values buffer. The JSON form adds every buffer of every column.
            """
    )

    @Flag(help: "Print one JSON object (keys sorted) instead of the readable summary.")
    var json = false

    @Argument(help: "The colfile file to inspect.")
    var file: String

    func run() throws {
        let reader = try ColFileReader.open(file)
        print(json ? try InspectJSON.render(reader) : InspectText.render(reader))
    }
}
