import ColFile

/// One column of an import pass: its inference, its stream while the file is written, and what
/// converting the current block found.
///
/// A class, so that the threads converting a block's columns at once each change their own
/// column only (``CSVImporter/convert(_:rows:columns:threads:)``); the block and the importer's
/// settings are read-only meanwhile.
final class CSVImportColumn {
    /// The inference so far.
    var state: CSVColumnInference
    /// The column's stream, nil when the pass does not write (or stopped writing).
    var sink: ColumnSink?
    /// The type the column is written as in this pass.
    let writtenAs: CSVColumnType
    /// What converting the current block found, or the error it threw.
    var outcome: Result<CSVImporter.ColumnOutcome, any Error> = .success(.init())

    /// A column inferred as `state`, written to `sink` as `writtenAs`.
    init(state: CSVColumnInference, sink: ColumnSink?, writtenAs: CSVColumnType) {
        self.state = state
        self.sink = sink
        self.writtenAs = writtenAs
    }
}
