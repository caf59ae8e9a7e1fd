/// Where a column started by ``ColFileWriter/openTableColumns(_:column:opened:)`` lives: its
/// table and its index there, from which its appender is made.
package struct TableColumnSlot {
    let table: ColumnTable
    let column: Int

    /// The column's appender.
    ///
    /// - Precondition: `Element` is the column's physical type.
    package func appender<Element: FixedWidthElement>(of type: Element.Type) -> TableColumnAppender<Element> {
        precondition(table.physicalType(of: column) == Element.physicalType,
                     "a table column's appender of another type than the column's")
        return TableColumnAppender(table: table, column: column)
    }
}
