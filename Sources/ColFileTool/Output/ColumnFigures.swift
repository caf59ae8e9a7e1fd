import ColFile
import ColFileCSV

/// One column's statistics with the texts the table and JSON print.
struct ColumnFigures {
    /// The column's name.
    let name: String
    /// The type as `head` shows it: `Int64`, `Timestamp(ms, UTC)`, `Float32[8]`, `dictionary(String)`.
    let typeName: String
    /// The column's logical type, which says how to print its minimum and maximum.
    let logicalType: LogicalType
    /// Its statistics.
    let statistics: ColumnStatistics

    /// The figures of a file's column `info`.
    init(info: ColumnInfo, statistics: ColumnStatistics) {
        self.name = info.name
        self.typeName = Self.typeName(info)
        self.logicalType = info.logicalType
        self.statistics = statistics
    }

    /// The figures of a dataset's column `column` (its shards' merged).
    init(column: DatasetColumn, statistics: ColumnStatistics) {
        self.name = column.name
        self.typeName = Self.typeName(column)
        self.logicalType = column.logicalType
        self.statistics = statistics
    }

    /// The type of `info` as `head` and `stats` show it.
    static func typeName(_ info: ColumnInfo) -> String {
        let shape = info.shape.isEmpty ? "" : "[" + info.shape.map(String.init).joined(separator: ", ") + "]"
        let name = info.logicalType == .none ? info.valueType.description : info.logicalType.description
        return info.isDictionaryEncoded ? "dictionary(\(name))" : name + shape
    }

    /// The type of a dataset's column, named as ``typeName(_:)-swift.type.method`` names a file's
    /// plain one (a shard may store it dictionary-encoded, Specification.md §14.3).
    static func typeName(_ column: DatasetColumn) -> String {
        let shape = column.shape.isEmpty ? "" : "[" + column.shape.map(String.init).joined(separator: ", ") + "]"
        return (column.logicalType == .none ? column.physicalType.description : column.logicalType.description) + shape
    }

    /// For a dictionary-encoded column, how many of its entries the non-null rows use.
    var distinct: String? { statistics.distinctEntries.map(String.init) }

    /// The figures as text; `quoted` when min and max are dates or timestamps.
    var texts: (min: String?, max: String?, sum: String?, mean: String?, trueCount: String?, minLength: String?,
                maxLength: String?, totalLength: String?, quoted: Bool) {
        let mean = statistics.mean.map(\.description)
        switch statistics.values {
        case .integers(let min, let max, let sum):
            switch logicalType {
            case .date:
                return (min.map { CivilTime.dateText(days: Int($0)) }, max.map { CivilTime.dateText(days: Int($0)) },
                        nil, nil, nil, nil, nil, nil, true)
            case .timestamp(let unit, let zone):
                let text = { (value: Int128) in CivilTime.timestampText(Int64(value), unit: unit, zoned: zone != nil) }
                return (min.map(text), max.map(text), nil, nil, nil, nil, nil, nil, true)
            case .none, .unknown:
                return (min.map(\.description), max.map(\.description), sum.description, mean, nil, nil, nil, nil,
                        false)
            }
        case .floats(let min, let max, let sum):
            return (min.map(\.description), max.map(\.description), sum.description, mean, nil, nil, nil, nil, false)
        case .bools(let trueCount):
            return (nil, nil, nil, nil, String(trueCount), nil, nil, nil, false)
        case .lengths(let min, let max, let total):
            return (nil, nil, nil, nil, nil, min.map(String.init), max.map(String.init), String(total), false)
        }
    }
}
