import ColFile

/// The file argument of a command that reads one colfile file only (`inspect`, `verify`,
/// `checksum`): a dataset's folder given instead is refused with the `colfile dataset` command
/// that reads it.
enum SingleFile {
    /// Opens the colfile file at `path`.
    ///
    /// - Parameter datasetCommand: The `colfile dataset` subcommand that does this command's work
    ///   on a dataset.
    /// - Throws: A usage error naming `colfile dataset DATASETCOMMAND` when `path` is a dataset's
    ///   folder; else as ``ColFileReader/open(_:options:)``.
    static func open(_ path: String, datasetCommand: String) throws -> ColFileReader {
        if RowSource.isFolder(path), (try? ColFileDataset.open(path)) != nil {
            throw ToolFailure.usage("\(path): a dataset's folder: read it with colfile dataset \(datasetCommand) \(path)")
        }
        return try ColFileReader.open(path)
    }
}
