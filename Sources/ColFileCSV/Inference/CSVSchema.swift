import ColFile

/// A schema as text: `NAME:TYPE` entries separated by commas, read as one CSV record (an entry
/// whose name holds a comma is quoted: `"a,b:int64",c:date`), with the type names of
/// ``CSVColumnType/named(_:)``. `colfile import --schema` reads it and `colfile inspect --schema`
/// writes it, so an export imports back with the same types.
public enum CSVSchema {
    /// The type of each column `text` names.
    ///
    /// - Throws: ``CSVError/Kind/invalidOption`` for an entry that is not `NAME:TYPE` with a known
    ///   type, a column named twice, or bad quoting.
    public static func parse(_ text: String) throws -> [String: CSVSchemaType] {
        var result: [String: CSVSchemaType] = [:]
        for entry in try NameList.split(text, option: "--schema") {
            guard let colon = entry.lastIndex(of: ":"), colon != entry.startIndex,
                  let type = CSVColumnType.named(String(entry[entry.index(after: colon)...])) else {
                throw CSVError(.invalidOption, "--schema: '\(entry)' is not NAME:TYPE with TYPE one of bool, int8, "
                               + "int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, "
                               + "date, timestamp[(s|ms|us|ns)], timestamptz[(UNIT)], string, binary, "
                               + "dictionary(string), dictionary(binary), "
                               + "or a tensor like float32[8] or int64[2x3]")
            }
            let name = String(entry[..<colon])
            guard result[name] == nil else { throw CSVError(.invalidOption, "--schema names column '\(name)' twice") }
            result[name] = type
        }
        return result
    }

    /// The schema text that gives `columns` their types.
    ///
    /// - Parameters:
    ///   - columns: The columns, in the order to list them.
    ///   - file: The file's name, for errors.
    /// - Throws: ``CSVError/Kind/noCSVForm`` for a column CSV cannot carry.
    public static func text(for columns: [ColumnInfo], file: String) throws -> String {
        try columns.map { info in
            guard let type = CSVColumnType(info) else {
                throw CSVError(.noCSVForm, "\(file): column '\(info.name)' (\(info.physicalType)) has no CSV form")
            }
            return NameList.spelling("\(info.name):\(type)")
        }.joined(separator: ",")
    }
}
