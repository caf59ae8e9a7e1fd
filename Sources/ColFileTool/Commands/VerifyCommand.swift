import ArgumentParser
import ColFile

/// `colfile verify FILE`: the full integrity check.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the integrity of a colfile file: every CRC-32, offset, null count and string.",
        discussion: """
            Reads the whole file (and decodes every chunk of cold columns): every buffer's CRC-32, \
            every null count against its bitmap, every string and binary offset, and the UTF-8 of \
            every string column, beyond the checks every open makes. Progress (column, bytes, \
            rate) is shown on stderr when it is a terminal.

            Examples:
              colfile verify trades.col
              colfile verify --quiet trades.col && echo good

            Exit status: 0 the file is good; 1 it is not (the first problem is named on stderr); \
            2 usage or I/O error.
            """
    )

    @OptionGroup var quietOption: QuietOption

    @Argument(help: "The colfile file to check.")
    var file: String

    func run() throws {
        let reader = try SingleFile.open(file, datasetCommand: "verify")
        let progress = Progress("verify", quiet: quietOption.quiet)
        defer { progress.finish() }
        let ((), duration) = try timed {
            var bytes = 0
            for (index, column) in try reader.columns.enumerated() {
                progress.update(column: index + 1, of: reader.columnCount, bytes: bytes)
                try reader.verify(column: column.name)
                bytes += Int(column.storedBytes)
            }
        }
        progress.finish()
        guard !quietOption.quiet else { return }
        print("\(file): ok (\(TextFormatting.grouped(reader.columnCount)) columns, "
              + "\(TextFormatting.grouped(reader.rowCount)) rows, \(TextFormatting.bytes(reader.fileBytes)) "
              + "verified in \(TextFormatting.duration(duration)))")
    }
}
