import ColFile
import ColFileCSV
import FoundationEssentials

/// Reads the cells of one column of an open file through its zero-copy view.
package struct ColumnCells {
    /// The file the column is read from.
    let reader: ColFileReader
    /// The column's description.
    let info: ColumnInfo
    /// The cell of a row; it throws only for a row of a column read through its chunks
    /// (``readsChunks``), when a chunk holding the row cannot be decoded.
    package let cell: (Int) throws -> CellValue
    /// Whether a cold column's rows are read through the chunks holding them
    /// (``init(chunksOf:_:)``) rather than from the whole decoded column.
    package let readsChunks: Bool

    /// The cells of column `info` of `reader`.
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read (for example a corrupt cold column).
    package init(_ reader: ColFileReader, _ info: ColumnInfo) throws {
        self.reader = reader
        self.info = info
        readsChunks = false
        if info.isDictionaryEncoded {
            let column = try reader.dictionaryColumn(info.name)
            let entries = Self.entryCells(column.dictionary, info.logicalType)
            entryCells = entries
            cell = { row in column.index(at: row).map { entries[$0] } ?? .null }
        } else {
            entryCells = nil
            cell = try Self.reader(reader, info)
        }
    }

    /// The cells of column `info` of `reader`, for reading rows `rows` of it in order: a cold
    /// column's are read through the chunks holding those rows (``init(chunksOf:_:)``) when they
    /// are at most one in ``chunkReadShare`` of its rows, else from the whole decoded column
    /// (through the shared cache); other columns are read in place.
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read.
    package init(_ reader: ColFileReader, _ info: ColumnInfo, rows: Range<Int>) throws {
        if info.isCompressed, rows.count <= info.rowCount / Self.chunkReadShare {
            self = try ColumnCells(chunksOf: reader, info)
        } else {
            self = try ColumnCells(reader, info)
        }
    }

    /// A cold column's rows are read through their chunks when they are at most one in this many
    /// of its rows. A row read that way costs about 0.8 µs a column (`ChunkedColumn`'s checks and
    /// copies, and a `String` a cell), where decoding a whole column costs about 0.02 µs a row
    /// and the export's byte writer then about 0.1 µs a cell, so the two break even near one row
    /// in 35: `export --rows 0..` of the trades table's zstd file took 3.5–4.2 s through the
    /// chunks against 0.5–0.7 s whole, a sixteenth of its rows 0.21–0.29 s against 0.09–0.13 s
    /// (BENCHMARKS.md, session 20).
    static let chunkReadShare = 64

    /// The cells of column `info` of `reader`, for reading some of its rows: a cold column's
    /// are read through a ``ChunkedColumn``, which decodes only the chunks holding the rows asked
    /// for (in order, each chunk once), in private memory, and writes nothing to the shared cache
    /// of decoded columns; other columns are read in place, as ``init(_:_:)`` reads them. (The
    /// first rows of a large cold file decoded all of it, into the cache.)
    ///
    /// - Throws: ``ColFileError`` when the column cannot be read.
    package init(chunksOf reader: ColFileReader, _ info: ColumnInfo) throws {
        guard info.isCompressed else {
            self = try ColumnCells(reader, info)
            return
        }
        self.reader = reader
        self.info = info
        entryCells = nil
        readsChunks = true
        cell = ChunkedCells.reader(try reader.chunkedColumn(info.name), info)
    }

    /// For a dictionary-encoded column, the cell of each dictionary entry (each row's cell is its
    /// entry's); nil for other columns (and for one read through its chunks, ``readsChunks``).
    package let entryCells: [CellValue]?

    /// The cells of a dictionary's entries, of the value type and the column's logical type,
    /// spelled as the cells of a plain column of that type.
    private static func entryCells(_ entries: DictionaryColumn.Entries, _ logicalType: LogicalType) -> [CellValue] {
        let indices = 0..<entries.count
        func integers<T: FixedWidthElement & BinaryInteger>(_ type: T.Type) -> [CellValue] {
            indices.map { integerCell(entries.value(at: $0, as: T.self)) }
        }
        func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(_ type: T.Type) -> [CellValue] {
            indices.map { floatCell(entries.value(at: $0, as: T.self)) }
        }
        switch (entries.valueType, logicalType) {
        case (.int32, .date):
            return indices.map { .text(CivilTime.dateText(days: Int(entries.value(at: $0, as: Int32.self)))) }
        case (.int64, .timestamp(let unit, let zone)):
            return indices.map {
                .text(CivilTime.timestampText(entries.value(at: $0, as: Int64.self), unit: unit, zoned: zone != nil))
            }
        case (.int8, _): return integers(Int8.self)
        case (.int16, _): return integers(Int16.self)
        case (.int32, _): return integers(Int32.self)
        case (.int64, _): return integers(Int64.self)
        case (.uint8, _): return integers(UInt8.self)
        case (.uint16, _): return integers(UInt16.self)
        case (.uint32, _): return integers(UInt32.self)
        case (.uint64, _): return integers(UInt64.self)
        case (.float16, _): return floats(Float16.self)
        case (.float32, _): return floats(Float.self)
        case (.float64, _): return floats(Double.self)
        case (.string, _), (.largeString, _): return indices.map { .text(entries.string(at: $0)) }
        case (.binary, _), (.largeBinary, _):
            return indices.map { .text(Data(entries.bytes(at: $0).array).base64EncodedString()) }
        case (.bool, _), (.dictionary, _): return indices.map { _ in .null }
        }
    }

    private static func reader(_ reader: ColFileReader, _ info: ColumnInfo) throws -> (Int) -> CellValue {
        let name = info.name
        if !info.shape.isEmpty {
            switch info.physicalType {
            case .int8: return tensor(try reader.tensorColumn(name, as: Int8.self)) { String($0) }
            case .int16: return tensor(try reader.tensorColumn(name, as: Int16.self)) { String($0) }
            case .int32: return tensor(try reader.tensorColumn(name, as: Int32.self)) { String($0) }
            case .int64: return tensor(try reader.tensorColumn(name, as: Int64.self)) { String($0) }
            case .uint8: return tensor(try reader.tensorColumn(name, as: UInt8.self)) { String($0) }
            case .uint16: return tensor(try reader.tensorColumn(name, as: UInt16.self)) { String($0) }
            case .uint32: return tensor(try reader.tensorColumn(name, as: UInt32.self)) { String($0) }
            case .uint64: return tensor(try reader.tensorColumn(name, as: UInt64.self)) { String($0) }
            case .float16: return tensor(try reader.tensorColumn(name, as: Float16.self)) { floatText($0) }
            case .float32: return tensor(try reader.tensorColumn(name, as: Float.self)) { floatText($0) }
            case .float64: return tensor(try reader.tensorColumn(name, as: Double.self)) { floatText($0) }
            default: return { _ in .null }
            }
        }
        switch (info.physicalType, info.logicalType) {
        case (.int32, .date):
            let column = try reader.column(name, as: Int32.self)
            return { row in column.value(at: row).map { .text(CivilTime.dateText(days: Int($0))) } ?? .null }
        case (.int64, .timestamp(let unit, let zone)):
            let column = try reader.column(name, as: Int64.self)
            return { row in
                column.value(at: row).map { .text(CivilTime.timestampText($0, unit: unit, zoned: zone != nil)) } ?? .null
            }
        case (.int8, _): return integers(try reader.column(name, as: Int8.self))
        case (.int16, _): return integers(try reader.column(name, as: Int16.self))
        case (.int32, _): return integers(try reader.column(name, as: Int32.self))
        case (.int64, _): return integers(try reader.column(name, as: Int64.self))
        case (.uint8, _): return integers(try reader.column(name, as: UInt8.self))
        case (.uint16, _): return integers(try reader.column(name, as: UInt16.self))
        case (.uint32, _): return integers(try reader.column(name, as: UInt32.self))
        case (.uint64, _): return integers(try reader.column(name, as: UInt64.self))
        case (.float16, _): return floats(try reader.column(name, as: Float16.self))
        case (.float32, _): return floats(try reader.column(name, as: Float.self))
        case (.float64, _): return floats(try reader.column(name, as: Double.self))
        case (.bool, _):
            let column = try reader.boolColumn(name)
            return { row in column.value(at: row).map(CellValue.bool) ?? .null }
        case (.string, _), (.largeString, _):
            let column = try reader.stringColumn(name)
            return { row in column.value(at: row).map(CellValue.text) ?? .null }
        case (.binary, _), (.largeBinary, _):
            let column = try reader.binaryColumn(name)
            return { row in column.value(at: row).map { .text(Data($0.array).base64EncodedString()) } ?? .null }
        case (.dictionary, _):
            preconditionFailure("dictionary-encoded columns are read through their entries' cells")
        }
    }

    private static func integers<T: FixedWidthElement & BinaryInteger>(_ column: FixedWidthColumn<T>) -> (Int) -> CellValue {
        { row in column.value(at: row).map(integerCell) ?? .null }
    }

    private static func floats<T: FixedWidthElement & BinaryFloatingPoint & LosslessStringConvertible>(
        _ column: FixedWidthColumn<T>
    ) -> (Int) -> CellValue {
        { row in column.value(at: row).map(floatCell) ?? .null }
    }

    /// The cell of an integer.
    static func integerCell<T: BinaryInteger>(_ value: T) -> CellValue { .number(String(value)) }

    /// The cell of a float: a number, or text for `nan`, `inf` and `-inf`.
    static func floatCell<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> CellValue {
        value.isFinite ? .number(floatText(value)) : .text(floatText(value))
    }

    /// The shortest text that reads back as exactly `value` (Swift's `description`).
    static func floatText<T: BinaryFloatingPoint & LosslessStringConvertible>(_ value: T) -> String {
        value.description
    }

    private static func tensor<T: FixedWidthElement>(_ column: TensorColumn<T>, _ text: @escaping (T) -> String)
        -> (Int) -> CellValue {
        { row in column[row].map { .list($0.map(text)) } ?? .null }
    }
}
