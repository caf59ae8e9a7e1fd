import ColFile
import ColFileCSV

/// One column's statistics with the texts the table and JSON print.
struct ColumnFigures {
    /// The column.
    let info: ColumnInfo
    /// Its statistics.
    let statistics: ColumnStatistics

    /// The type as `head` shows it: `Int64`, `Timestamp(ms, UTC)`, `Float32[8]`, `dictionary(String)`.
    var typeName: String { ColumnFigures.typeName(info) }

    /// The type of `info` as `head` and `stats` show it.
    static func typeName(_ info: ColumnInfo) -> String {
        let shape = info.shape.isEmpty ? "" : "[" + info.shape.map(String.init).joined(separator: ", ") + "]"
        let name = info.logicalType == .none ? info.valueType.description : info.logicalType.description
        return info.isDictionaryEncoded ? "dictionary(\(name))" : name + shape
    }

    /// For a dictionary-encoded column, how many of its entries the non-null rows use.
    var distinct: String? { statistics.distinctEntries.map(String.init) }

    /// The figures as text; `quoted` when min and max are dates or timestamps.
    var texts: (min: String?, max: String?, sum: String?, mean: String?, trueCount: String?, minLength: String?,
                maxLength: String?, totalLength: String?, quoted: Bool) {
        let mean = statistics.mean.map(\.description)
        switch statistics.values {
        case .integers(let min, let max, let sum):
            switch info.logicalType {
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
