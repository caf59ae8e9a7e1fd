/// Appends to a scalar fixed-width column of a writer's ``ColumnTable`` (made by
/// ``ColFileWriter/tableAppender(_:of:logicalType:)`` or from the slot
/// ``ColFileWriter/openTableColumns(_:column:opened:)`` gives), as ``FixedWidthAppender`` does
/// to a stream.
///
/// A value: copying it copies one reference and an index.
package struct TableColumnAppender<Element: FixedWidthElement> {
    @usableFromInline let table: ColumnTable
    @usableFromInline let column: Int

    init(table: ColumnTable, column: Int) {
        self.table = table
        self.column = column
    }

    /// Appends rows from a span, as ``FixedWidthColumnStream/append(contentsOf:)-(Span<Element>)`` does.
    package func append(contentsOf values: Span<Element>) throws {
        try unsafe values.withUnsafeBytes { try unsafe table.appendValueBytes($0, column: column) }
        try table.appendRows(values.count, valid: true, column: column)
    }

    /// Appends rows from an array.
    package func append(contentsOf values: [Element]) throws {
        try append(contentsOf: values.span)
    }

    /// Appends one row, or a null row (stored as zero), as ``FixedWidthColumnStream/append(_:)`` does.
    @inlinable package func append(_ value: Element?) throws {
        var stored = value ?? .zero
        try unsafe withUnsafeBytes(of: &stored) { try unsafe table.appendValueBytes($0, column: column) }
        try table.appendRows(1, valid: value != nil, column: column)
    }

    /// Appends `count` null rows (stored as zeros), as ``FixedWidthColumnStream/appendNulls(_:)`` does.
    package func appendNulls(_ count: Int = 1) throws {
        let zeros = [Element](repeating: .zero, count: count)
        try unsafe zeros.withUnsafeBytes { try unsafe table.appendValueBytes($0, column: column) }
        try table.appendRows(count, valid: false, column: column)
    }

    /// Places the column in the file now, as ``FixedWidthColumnStream/finish()`` does.
    package func finish() throws { try table.writer.completeTableColumn(table, column) }
}
