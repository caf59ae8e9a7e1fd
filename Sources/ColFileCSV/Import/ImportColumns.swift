import ColFile

/// The columns of an import, in flat arrays indexed by column: each one's inference (kept from
/// pass to pass), and for the current pass its stream while the file is written, the type it is
/// written as, and what converting the current block found. No object per column, and no copy
/// of the inferences per pass (a wide table has 10,000 or 50,000 columns).
///
/// The threads converting a block's columns at once (``BlockStep``) each change the inference
/// and outcome of the columns they took only, through ``convert(_:column:records:ahead:of:by:)``; between
/// blocks, the pass's own thread reads the outcomes and may replace the streams
/// (``stopWriting()``, ``sinks``).
///
/// `@safe`: the buffers are allocated for ``count`` columns in `init` and freed in `deinit`, and
/// every access checks its column index (the audited scopes below).
@safe
final class ImportColumns {
    /// The inference so far of each column.
    private let states: UnsafeMutableBufferPointer<CSVColumnInference>
    /// What converting the current block found in each column, or the error it threw.
    private let outcomes: UnsafeMutableBufferPointer<Result<CSVImporter.ColumnOutcome, any Error>>
    /// What converting the next block ahead found in each column converted ahead (``BlockStep``);
    /// empty when the block has too many columns for a step to work ahead
    /// (``BlockStep/mayWorkAhead(columns:)``: no 800 KB of outcomes to touch at 50,000 columns).
    private let aheadOutcomes: UnsafeMutableBufferPointer<Result<CSVImporter.ColumnOutcome, any Error>>
    /// Each column's stream in the current pass, nil when the pass does not write (or stopped
    /// writing); empty when no column is written (no array of 50,000 nils to fill for a pass
    /// that only infers, or stopped writing). Changed only between blocks.
    var sinks: [ColumnSink?] = []
    /// The type each column is written as in the current pass.
    private(set) var writtenAs: [CSVColumnType] = []

    /// `count` columns, column `i` starting from `inference(i)`.
    init(count: Int, inference: (Int) -> CSVColumnInference) {
        unsafe states = UnsafeMutableBufferPointer.allocate(capacity: count)
        for column in 0..<count { unsafe (states.baseAddress! + column).initialize(to: inference(column)) }
        unsafe outcomes = UnsafeMutableBufferPointer.allocate(capacity: count)
        unsafe outcomes.initialize(repeating: .success(.init()))
        unsafe aheadOutcomes = UnsafeMutableBufferPointer.allocate(capacity: BlockStep.mayWorkAhead(columns: count) ? count : 0)
        unsafe aheadOutcomes.initialize(repeating: .success(.init()))
    }

    deinit {
        unsafe states.deinitialize().deallocate()
        unsafe outcomes.deinitialize().deallocate()
        unsafe aheadOutcomes.deinitialize().deallocate()
    }

    /// The number of columns.
    var count: Int { unsafe states.count }

    /// The columns that may be converted ahead: all of a narrow import's, none of a wide one's.
    private var aheadCount: Int { unsafe aheadOutcomes.count }

    /// The type that holds every value each column's inference has seen so far.
    var types: [CSVColumnType] { unsafe states.map(\.type) }

    /// Starts a pass that writes the columns to `sinks` (nil: not written; empty: none written) as `types`.
    func startPass(sinks: [ColumnSink?], writtenAs types: [CSVColumnType]) {
        precondition((sinks.isEmpty || sinks.count == count) && types.count == count, "one stream and type per column")
        self.sinks = sinks
        writtenAs = types
    }

    /// What converting the last block found in `column`.
    ///
    /// - Throws: the error converting it threw (writing failed).
    func outcome(_ column: Int) throws -> CSVImporter.ColumnOutcome {
        precondition(column >= 0 && column < count, "column out of range")
        return try unsafe outcomes[column].get()
    }

    /// No column is written any more (the pass abandoned its file).
    func stopWriting() {
        sinks = []
    }

    /// The streams and types of the current pass as one value, which a converting thread takes
    /// once a step (``BlockStep``): a column's stream read from ``sinks`` for each column would
    /// be retained and released for each (the array may change meanwhile, for all the compiler
    /// knows), and every fixed-width column's stream holds the writer's one column table, whose
    /// count the converting threads would then change at once, column after column.
    struct Pass {
        /// ``ImportColumns/sinks`` as the pass's blocks are converted.
        let sinks: [ColumnSink?]
        /// ``ImportColumns/writtenAs``.
        let writtenAs: [CSVColumnType]
    }

    /// The streams and types of the current pass, for the blocks converted until they change.
    var pass: Pass { Pass(sinks: sinks, writtenAs: writtenAs) }

    /// Converts the first `records` records of `column` of `block` with `importer` into the
    /// column's stream of `pass` (``pass`` as the block's conversion started), setting the
    /// column's outcome, or with `ahead`, its outcome for the next block (``takeAheadOutcomes(_:)``).
    ///
    /// Audited unsafe scope: `column` is in range (checked), and each column is converted by one
    /// thread at a time (``BlockStep`` hands a column to one thread, and a column of the next
    /// block only after the same column of the current one is done), which alone touches that
    /// column's entries of ``states``, ``outcomes`` and ``aheadOutcomes`` meanwhile.
    func convert(_ block: CSVBlock, column: Int, records: Int, ahead: Bool = false, of pass: Pass,
                 by importer: CSVImporter) {
        precondition(column >= 0 && column < count, "column out of range")
        precondition(!ahead || column < aheadCount, "a column converted ahead of a wide block")
        precondition((pass.sinks.isEmpty || pass.sinks.count == count) && pass.writtenAs.count == count,
                     "one stream and type per column")
        let outcome = Result<CSVImporter.ColumnOutcome, any Error> {
            if pass.sinks.isEmpty {
                try unsafe importer.convert(block, records: records, column: column, state: &states[column], sink: nil,
                                            writtenAs: pass.writtenAs[column])
            } else {
                try unsafe importer.convert(block, records: records, column: column, state: &states[column],
                                            sink: pass.sinks[column], writtenAs: pass.writtenAs[column])
            }
        }
        if ahead {
            unsafe aheadOutcomes[column] = outcome
        } else {
            unsafe outcomes[column] = outcome
        }
    }

    /// Makes the outcomes of the columns converted ahead (`columns[i]` true for column `i`) the
    /// outcomes of the current block, before its step converts the others.
    func takeAheadOutcomes(_ columns: [Bool]) {
        precondition(columns.isEmpty || columns.count == count, "one flag per column")
        for column in columns.indices where columns[column] {
            precondition(column < aheadCount, "a column converted ahead of a wide block")
            unsafe outcomes[column] = aheadOutcomes[column]
        }
    }
}
