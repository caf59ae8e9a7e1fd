import ColFile
import ColFileCSV

/// One column's statistics with the texts the table and JSON print.
struct ColumnFigures {
    /// The column.
    let info: ColumnInfo
    /// Its statistics.
    let statistics: ColumnStatistics

    /// The type as `head` shows it.
    var typeName: String {
        let shape = info.shape.isEmpty ? "" : "[" + info.shape.map(String.init).joined(separator: ", ") + "]"
        return (info.logicalType == .none ? info.physicalType.description : info.logicalType.description) + shape
    }

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
