import ColFile
import ColFileCSV

/// Options shared by the subcommands that read some columns of a file.
enum ColumnSelection {
    /// The columns named in `list` (comma-separated, ``NameList``), in that order, or every column.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` for an unknown name (exit status 2).
    static func columns(_ reader: ColFileReader, _ list: String?) throws -> [ColumnInfo] {
        guard let list else { return reader.columns }
        let names = try NameList.split(list, option: "--columns")
        guard !names.contains(where: \.isEmpty) else {
            throw ToolFailure.usage("--columns takes column names separated by commas")
        }
        return try names.map { try reader.info($0) }
    }
}
