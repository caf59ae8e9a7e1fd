/// A block of data records of a CSV input, taken from a ``CSVRecordSource`` by
/// ``CSVRecordSource/nextBlock(into:maxRows:maxBytes:)``: every record has one field per column,
/// and field `column` of record `row` is field `row * names.count + column` of the arrays.
///
/// A value the importer converts on some threads while the source reads the next block into
/// another (the two blocks trade their arrays with the scanner, so no memory is allocated per
/// block once both have grown).
struct CSVBlock {
    /// The text of the fields, each followed by one separator byte, a quoted field with its two
    /// quotes (``CSVScanner/text``; ``CSVFieldPlace`` ranges leave them out).
    var text: [UInt8] = []
    /// Each field's end in ``text`` and quote flag, packed as in ``CSVScanner/fieldEnds`` (field
    /// `i` starts one byte after field `i - 1` ends, the first at 0).
    var fieldEnds: [UInt32] = []
    /// The number of records.
    var rows = 0
    /// The data row number of the first record (data rows count from 1).
    var firstRow = 1
    /// The column names.
    var names: [String] = []
}
