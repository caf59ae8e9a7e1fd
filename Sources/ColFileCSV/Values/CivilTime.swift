import ColFile

/// Conversions between calendar dates and days since 1970-01-01 in the proleptic Gregorian
/// calendar (Howard Hinnant's `days_from_civil` and `civil_from_days`), and ISO 8601 text for
/// colfile dates and timestamps.
package enum CivilTime {
    /// Days from 1970-01-01 to `year`-`month`-`day`.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// ``days(year:month:day:)`` for a year of four digits (0–9999) and a month of 1–12, as the
    /// CSV timestamp reader's fast path reads them: the year is moved up 400 years (146,097 days)
    /// so that it is positive, and its divisions by constants are then shifts and multiplications,
    /// not signed divisions with their fix-ups, and no era; inlined (a call of
    /// ``days(year:month:day:)`` was 68 instructions).
    @inline(__always)
    package static func days(fourDigitYear year: Int, month: Int, day: Int) -> Int {
        assert((0...9999).contains(year) && (1...12).contains(month), "a four-digit year and a month")
        // March is the year's first month, so that February's leap day is the year's last.
        let marchYear = UInt(truncatingIfNeeded: year + 400 - (month <= 2 ? 1 : 0))
        let monthFromMarch = UInt(truncatingIfNeeded: month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + UInt(truncatingIfNeeded: day) - 1
        let yearDays = marchYear * 365 + marchYear / 4 - marchYear / 100 + marchYear / 400
        return Int(truncatingIfNeeded: yearDays + dayOfYear) - 719_468 - 146_097
    }

    /// Whether `day` is a day of `month` (1–12) of `year` (≥ 0): ``daysInMonth(year:month:)``
    /// computed only for days past the 28th.
    @inline(__always)
    package static func isDay(_ day: Int, ofMonth month: Int, year: Int) -> Bool {
        day >= 1 && (day <= 28 || day <= daysInMonth(year: year, month: month))
    }

    /// The calendar date `days` after 1970-01-01.
    package static func date(days: Int) -> (year: Int, month: Int, day: Int) {
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
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD` for a date column value (`±YYYYYY-MM-DD` outside the years 0–9999).
    package static func dateText(days: Int) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(16)
        appendDate(days: days, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The digits of a second `unit` holds: 0, 3, 6 or 9.
    package static func fractionDigits(_ unit: TimeUnit) -> Int {
        switch unit {
        case .seconds: 0
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
    }

    /// How many of `unit` make a second.
    package static func perSecond(_ unit: TimeUnit) -> Int64 {
        switch unit {
        case .seconds: 1
        case .milliseconds: 1_000
        case .microseconds: 1_000_000
        case .nanoseconds: 1_000_000_000
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]` plus `Z` when `zoned`, for a timestamp in `unit`; the
    /// fraction has the unit's digits (none for seconds, 3, 6 or 9). Zoned timestamps are shown in UTC.
    package static func timestampText(_ value: Int64, unit: TimeUnit, zoned: Bool) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(40)
        appendTimestamp(value, unit: unit, zoned: zoned, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``timestampText(_:unit:zoned:)`` to `text` as UTF-8.
    package static func appendTimestamp(_ value: Int64, unit: TimeUnit, zoned: Bool, to text: inout [UInt8]) {
        let perSecond = perSecond(unit)
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
        appendDate(days: Int(days), to: &text)
        text.append(UInt8(ascii: "T"))
        appendDigits(Int(secondOfDay / 3600), width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay / 60 % 60), width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay % 60), width: 2, to: &text)
        let digits = fractionDigits(unit)
        if digits > 0 {
            text.append(UInt8(ascii: "."))
            appendDigits(Int(fraction), width: digits, to: &text)
        }
        if zoned { text.append(UInt8(ascii: "Z")) }
    }

    /// Appends ``dateText(days:)`` to `text` as UTF-8.
    package static func appendDate(days: Int, to text: inout [UInt8]) {
        let (year, month, day) = date(days: days)
        if (0...9999).contains(year) {
            appendDigits(year, width: 4, to: &text)
        } else {
            text.append(UInt8(ascii: year < 0 ? "-" : "+"))
            appendDigits(abs(year), width: 6, to: &text)
        }
        text.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &text)
    }

    /// The decimal digits of `value` (≥ 0), zero-padded to at least `width`.
    private static func appendDigits(_ value: Int, width: Int, to text: inout [UInt8]) {
        DecimalText.append(UInt64(value), minimumDigits: width, to: &text)
    }
}
