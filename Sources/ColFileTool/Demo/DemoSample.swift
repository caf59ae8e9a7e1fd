import ColFile

/// What `colfile demo` shows of the file it wrote: first values and a few sample rows, read
/// through the zero-copy column views.
enum DemoSample {
    /// The first value of several fixed-width columns, read through their views.
    struct FirstValues {
        /// `id[0]`.
        var id: Int64
        /// `price[0]`.
        var price: Double
        /// `ts[0]`, milliseconds since the epoch.
        var ts: Int64
        /// `day[0]`, days since the epoch.
        var day: Int32
        /// `embedding[0][0]`.
        var embedding: Float

        /// The values as `name value` texts.
        var texts: [String] {
            ["id \(id)", "price \(TextFormatting.fixed(price, digits: 2))", "ts \(timestamp(ts))",
             "day \(date(day))", "embedding[0][0] \(embedding)"]
        }
    }

    /// Reads the first value of several columns: what a program does right after opening a file.
    static func firstValues(_ reader: ColFileReader) throws -> FirstValues {
        FirstValues(id: try reader.column("id", as: Int64.self).storedValue(at: 0),
                    price: try reader.column("price", as: Double.self).storedValue(at: 0),
                    ts: try reader.column("ts", as: Int64.self).storedValue(at: 0),
                    day: try reader.column("day", as: Int32.self).storedValue(at: 0),
                    embedding: try reader.tensorColumn("embedding", as: Float.self)[0, 0])
    }

    /// The first `count` rows as a table, with nulls shown as `null`.
    static func rows(_ reader: ColFileReader, count: Int) throws -> TextTable {
        let id = try reader.column("id", as: Int64.self)
        let price = try reader.column("price", as: Double.self)
        let qty = try reader.column("qty", as: Int32.self)
        let symbol = try reader.stringColumn("symbol")
        let flag = try reader.boolColumn("flag")
        let ts = try reader.column("ts", as: Int64.self)
        let day = try reader.column("day", as: Int32.self)
        let embedding = try reader.tensorColumn("embedding", as: Float.self)
        let textColumns: Set = ["symbol", "flag", "embedding"]
        var table = TextTable(DemoTable.columnNames.map { ($0, textColumns.contains($0) ? .left : .right) })
        for row in 0..<count {
            // Only `flag` has nulls; the other columns' stored values are their values.
            let vector = embedding.storedValue(at: row).prefix(3).map { TextFormatting.fixed(Double($0), digits: 3) }
            let flagText = flag[row].map(String.init) ?? "null"
            table.rows.append([
                String(id.values[row]), TextFormatting.fixed(price.values[row], digits: 2), String(qty.values[row]),
                symbol.storedValue(at: row), flagText, timestamp(ts.values[row]), date(day.values[row]),
                "[" + vector.joined(separator: ", ") + ", …]",
            ])
        }
        return table
    }

    /// Milliseconds since the epoch as ISO 8601 in UTC, e.g. `2024-01-02T14:30:00.000Z`.
    static func timestamp(_ milliseconds: Int64) -> String {
        let (days, millisecondOfDay) = floorDivision(milliseconds, 86_400_000)
        let (seconds, millisecond) = floorDivision(millisecondOfDay, 1000)
        let clock = [seconds / 3600, seconds / 60 % 60, seconds % 60].map { TextFormatting.decimal($0, width: 2) }
        return date(days) + "T" + clock.joined(separator: ":") + "." + TextFormatting.decimal(millisecond, width: 3) + "Z"
    }

    /// Days since the epoch as an ISO 8601 date in the proleptic Gregorian calendar, e.g. `2024-01-02`.
    ///
    /// The conversion is Howard Hinnant's `civil_from_days`.
    static func date(_ days: some BinaryInteger) -> String {
        let (era, dayOfEra) = floorDivision(Int64(days) + 719_468, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return TextFormatting.decimal(year, width: 4) + "-" + TextFormatting.decimal(month, width: 2) + "-"
            + TextFormatting.decimal(day, width: 2)
    }

    /// Quotient and remainder rounded towards minus infinity, so the remainder is never negative.
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}
