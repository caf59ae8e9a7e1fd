import ColFile

/// The files the republish and writer-killed scenarios publish: version `v` of a table whose every
/// value follows from `v` and the row, so a reader can tell a complete version from anything else.
///
/// Columns: `version` (Int64, every row `v`), `value` (Float64, `v × 1e6 + row`) and `label`
/// (String, `v<v>`, null every 100th row); file metadata `version` = `v`.
enum VersionedFile {
    /// Writes version `version` with `rows` rows and publishes it atomically at `path`.
    ///
    /// - Parameters:
    ///   - namedTemporary: Make the writer use a named temporary file instead of `O_TMPFILE`.
    ///   - started: Called once the writer's temporary file exists, before any column is written.
    static func write(version: Int, rows: Int, to path: String, namedTemporary: Bool = false,
                      started: () throws -> Void = {}) throws {
        var options = ColFileWriter.Options()
        options.useNamedTemporaryFile = namedTemporary
        let writer = try ColFileWriter(path: path, options: options)
        try started()
        writer.metadata = ["version": String(version)]
        try writer.addColumn("version", [Int64](repeating: Int64(version), count: rows))
        try writer.addColumn("value", (0..<rows).map { value(version: version, row: $0) })
        let label = "v\(version)"
        try writer.addColumn("label", (0..<rows).map { $0 % 100 == 0 ? nil : label } as [String?])
        try writer.finish()
    }

    /// The `value` of `row` in version `version`.
    static func value(version: Int, row: Int) -> Double {
        Double(version) * 1e6 + Double(row)
    }

    /// Checks that `reader` holds one complete version with `rows` rows: every buffer's CRC-32,
    /// and the values of about a thousand rows spread over the file.
    ///
    /// - Returns: The version.
    /// - Throws: ``ColFileError`` from verification, or ``ToolFailure/Kind/checkFailed`` naming the first wrong value.
    static func check(_ reader: ColFileReader, rows: Int) throws -> Int {
        guard let version = reader.metadata["version"].flatMap(Int.init) else {
            throw ToolFailure.checkFailed("\(reader.path): no version in the file metadata")
        }
        try reader.verify()
        guard reader.rowCount == rows else {
            throw ToolFailure.checkFailed("\(reader.path) version \(version): \(reader.rowCount) rows, expected \(rows)")
        }
        let versions = try reader.column("version", as: Int64.self)
        let values = try reader.column("value", as: Double.self)
        let labels = try reader.stringColumn("label")
        for row in Array(stride(from: 0, to: rows, by: max(1, rows / 1000))) + [rows - 1] {
            let label = row % 100 == 0 ? nil : "v\(version)"
            guard versions[row] == Int64(version), values[row] == value(version: version, row: row),
                  labels.value(at: row) == label else {
                throw ToolFailure.checkFailed("\(reader.path) version \(version): row \(row) holds another version's values")
            }
        }
        return version
    }
}
