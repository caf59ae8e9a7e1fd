import ColFile
import ColFileCSV

/// The `--columns` choice of the subcommands that read some columns of a file.
enum ColumnSelection {
    /// Opens `file` and picks the columns `list` names (every column when nil).
    ///
    /// - Returns: The reader and the chosen columns, in the order given.
    /// - Throws: As ``ColFileReader/open(_:options:)`` and ``columns(_:_:)``.
    static func open(_ file: String, columns list: String?) throws -> (reader: ColFileReader, columns: [ColumnInfo]) {
        let reader = try ColFileReader.open(file)
        return (reader, try columns(reader, list))
    }

    /// The columns named in `list` (comma-separated, ``NameList``), in that order, or every column.
    ///
    /// - Throws: ``ColFileError/Code/noSuchColumn`` for an unknown name (exit status 2).
    static func columns(_ reader: ColFileReader, _ list: String?) throws -> [ColumnInfo] {
        guard let list else { return try reader.columns }
        return try names(list).map { try reader.info($0) }
    }

    /// The names in `list` (comma-separated, ``NameList``), in that order.
    ///
    /// - Throws: A usage error for an empty name.
    static func names(_ list: String) throws -> [String] {
        let names = try NameList.split(list, option: "--columns")
        guard !names.contains(where: \.isEmpty) else {
            throw ToolFailure.usage("--columns takes column names separated by commas")
        }
        return names
    }
}
