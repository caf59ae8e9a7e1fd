import ColFile
import ColFileCSV
import FoundationEssentials

/// The cells of a cold column's rows read through a ``ChunkedColumn``, which decodes the chunks
/// holding a row rather than the whole column; spelled as ``ColumnCells`` spells a plain column's.
enum ChunkedCells {
    /// How to read the cell of a row of column `info` through `column` (a dictionary-encoded
    /// column's through its row's entry, Specification.md §6.4).
    static func reader(_ column: ChunkedColumn, _ info: ColumnInfo) -> (Int) throws -> CellValue {
        if !info.shape.isEmpty {
            switch info.physicalType {
            case .int8: return tensor(column, Int8.self) { String($0) }
            case .int16: return tensor(column, Int16.self) { String($0) }
            case .int32: return tensor(column, Int32.self) { String($0) }
            case .int64: return tensor(column, Int64.self) { String($0) }
            case .uint8: return tensor(column, UInt8.self) { String($0) }
            case .uint16: return tensor(column, UInt16.self) { String($0) }
            case .uint32: return tensor(column, UInt32.self) { String($0) }
            case .uint64: return tensor(column, UInt64.self) { String($0) }
            case .float16: return tensor(column, Float16.self) { ColumnCells.floatText($0) }
            case .float32: return tensor(column, Float.self) { ColumnCells.floatText($0) }
            case .float64: return tensor(column, Double.self) { ColumnCells.floatText($0) }
            default: return { _ in .null }
            }
        }
        switch (info.valueType, info.logicalType) {
        case (.int32, .date):
            return { row in try column.value(at: row, as: Int32.self).map { .text(CivilTime.dateText(days: Int($0))) } ?? .null }
        case (.int64, .timestamp(let unit, let zone)):
            return { row in
                try column.value(at: row, as: Int64.self).map {
                    .text(CivilTime.timestampText($0, unit: unit, zoned: zone != nil))
                } ?? .null
            }
        case (.int8, _): return integers(column, Int8.self)
        case (.int16, _): return integers(column, Int16.self)
        case (.int32, _): return integers(column, Int32.self)
        case (.int64, _): return integers(column, Int64.self)
        case (.uint8, _): return integers(column, UInt8.self)
        case (.uint16, _): return integers(column, UInt16.self)
        case (.uint32, _): return integers(column, UInt32.self)
        case (.uint64, _): return integers(column, UInt64.self)
        case (.float16, _): return floats(column, Float16.self)
        case (.float32, _): return floats(column, Float.self)
        case (.float64, _): return floats(column, Double.self)
        case (.bool, _): return { row in try column.bool(at: row).map(CellValue.bool) ?? .null }
        case (.string, _), (.largeString, _): return { row in try column.string(at: row).map(CellValue.text) ?? .null }
        case (.binary, _), (.largeBinary, _):
            return { row in try column.bytes(at: row).map { .text(Data($0).base64EncodedString()) } ?? .null }
        case (.dictionary, _): return { _ in .null }  // never a value type (§6.4)
        }
    }

    private static func integers<T: FixedWidthElement & BinaryInteger>(_ column: ChunkedColumn, _ type: T.Type)
        -> (Int) throws -> CellValue {
        { row in try column.value(at: row, as: T.self).map(ColumnCells.integerCell) ?? .null }
    }

    private static func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(
        _ column: ChunkedColumn, _ type: T.Type
    ) -> (Int) throws -> CellValue {
        { row in try column.value(at: row, as: T.self).map(ColumnCells.floatCell) ?? .null }
    }

    private static func tensor<T: FixedWidthElement>(_ column: ChunkedColumn, _ type: T.Type,
                                                     _ text: @escaping (T) -> String) -> (Int) throws -> CellValue {
        { row in try column.tensorRow(at: row, as: T.self).map { .list($0.map(text)) } ?? .null }
    }
}
