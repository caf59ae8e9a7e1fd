import ColFile

/// A typed column's stream as the importer's typed loop appends to it: runs of values and runs
/// of nulls. The loop, specialized for each stream type, calls the stream directly (it took two
/// closures made for each column of each block, which captured a copy of the stream: a retain
/// and a release of the writer's column table, shared by every converting thread).
protocol ValueRunSink {
    /// The stored value.
    associatedtype Element

    /// Appends a row for each value.
    func append(contentsOf values: Span<Element>) throws

    /// Appends `count` null rows.
    func appendNulls(_ count: Int) throws
}

extension TableColumnAppender: ValueRunSink {}

extension BoolColumnStream: ValueRunSink {}
