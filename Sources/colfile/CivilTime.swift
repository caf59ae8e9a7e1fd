import ColFile

/// Conversions between calendar dates and days since 1970-01-01 in the proleptic Gregorian
/// calendar (Howard Hinnant's `days_from_civil` and `civil_from_days`), and ISO 8601 text for
/// colfile dates and timestamps.
enum CivilTime {
    /// Days from 1970-01-01 to `year`-`month`-`day`.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date `days` after 1970-01-01.
    static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The number of days in `month` of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD` for a date column value.
    static func dateText(days: Int) -> String {
        let (year, month, day) = date(days: days)
        return yearText(year) + "-" + TextFormatting.decimal(month, width: 2) + "-" + TextFormatting.decimal(day, width: 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]` plus `Z` when `zoned`, for a timestamp in `unit`; the
    /// fraction has the unit's digits (none for seconds, 3, 6 or 9). Zoned timestamps are shown in UTC.
    static func timestampText(_ value: Int64, unit: TimeUnit, zoned: Bool) -> String {
        let perSecond: Int64 = switch unit {
        case .seconds: 1
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
        let digits = switch unit {
        case .seconds: 0
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
        var seconds = value / perSecond
        var fraction = value % perSecond
        if fraction < 0 {
            fraction += perSecond
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        var text = dateText(days: Int(days)) + "T" + TextFormatting.decimal(secondOfDay / 3600, width: 2) + ":"
            + TextFormatting.decimal(secondOfDay / 60 % 60, width: 2) + ":"
            + TextFormatting.decimal(secondOfDay % 60, width: 2)
        if digits > 0 { text += "." + TextFormatting.decimal(fraction, width: digits) }
        return zoned ? text + "Z" : text
    }

    private static func yearText(_ year: Int) -> String {
        (0...9999).contains(year) ? TextFormatting.decimal(year, width: 4) : (year < 0 ? "-" : "+")
            + TextFormatting.decimal(abs(year), width: 6)
    }
}
