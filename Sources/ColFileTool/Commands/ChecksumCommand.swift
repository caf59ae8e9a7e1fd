import ArgumentParser
import ColFile
import ColFileCSV

/// `colfile checksum FILE` (hidden): a checksum of every value of every column, so that tests and
/// multiprocess harnesses can prove that several processes read identical values.
struct ChecksumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checksum",
        abstract: "Print NAME ROWS FNV-1a-64 for every column, hashing every value as read.",
        discussion: """
            Each row adds a tag byte (0 null, 1 valid) and, for a valid row, its value: the \
            little-endian bytes of fixed-width values, one byte for a Bool, or a little-endian \
            UInt64 length and the bytes for String and Binary values.
            """,
        shouldDisplay: false
    )

    @Option(help: "Comma-separated names of the columns to hash, in this order (default: all, in file order). Quote a name holding a comma: '\"a,b\",c'.")
    var columns: String?

    @Argument(help: "The colfile file to read.")
    var file: String

    func validate() throws {
        let names: [String]?
        do {
            names = try chosenNames
        } catch let failure as CSVError {
            throw ValidationError(failure.description)
        }
        if let names, names.contains(where: \.isEmpty) {
            throw ValidationError("--columns takes non-empty column names separated by commas")
        }
    }

    func run() throws {
        let reader = try SingleFile.open(file, datasetCommand: "verify")
        let names = try chosenNames ?? reader.columns.map(\.name)
        for name in names { _ = try reader.info(name) }
        for name in names {
            let checksum = try ColumnChecksum.of(column: name, in: reader)
            print("\(name) \(reader.rowCount) \(TextFormatting.hex(checksum.value, width: 16))")
        }
    }

    /// The names given with `--columns`, or nil for all columns.
    private var chosenNames: [String]? {
        get throws { try columns.map { try NameList.split($0, option: "--columns") } }
    }
}
