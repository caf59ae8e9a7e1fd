@testable import ColFileCSV
import Testing

/// The timestamp reader's word-at-a-time check of its 19 fixed bytes must read what the
/// byte-at-a-time reader it replaced read, for valid timestamps and for every one- and two-byte
/// corruption of them: digits out of range, separators swapped, bytes whose added 6 carries
/// (0xFA and up), `t`/`T`/space between date and time, fractions and zones.
@Suite struct PlainTimestampTests {
    private static let replacements: [UInt8] = Array("0123456789-:/ tTzZ.,+".utf8) + [0x2F, 0x3A, 0x3F, 0xFA, 0xFF, 0x00]

    /// The reader before the word-at-a-time check, kept as the reference.
    private static func byteAtATime(_ bytes: Span<UInt8>) -> CSVTimestamp? {
        let count = bytes.count
        guard count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] | 0x20 == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = CSVValueParser.fixedDigits(bytes, 0, 4), let month = CSVValueParser.fixedDigits(bytes, 5, 2),
              let day = CSVValueParser.fixedDigits(bytes, 8, 2), let hour = CSVValueParser.fixedDigits(bytes, 11, 2),
              let minute = CSVValueParser.fixedDigits(bytes, 14, 2), let second = CSVValueParser.fixedDigits(bytes, 17, 2),
              month >= 1, month <= 12, day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var nanoseconds: Int64 = 0
        var digits = 0
        if index < count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                digits += 1
                guard digits <= 9 else { return nil }
                nanoseconds = nanoseconds * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            guard digits > 0 else { return nil }
            let scale: [Int64] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1]
            nanoseconds *= scale[digits]
        }
        var zoned = false
        if index < count {
            guard bytes[index] | 0x20 == UInt8(ascii: "z"), index + 1 == count else { return nil }
            zoned = true
        }
        let days = CivilTime.days(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return CSVTimestamp(seconds: seconds, nanoseconds: nanoseconds, fractionDigits: digits, zoned: zoned)
    }

    private static func agree(_ text: [UInt8]) -> Bool {
        let span = text.span
        let new = CSVValueParser.plainTimestamp(span)
        let old = byteAtATime(span)
        return new?.seconds == old?.seconds && new?.nanoseconds == old?.nanoseconds
            && new?.fractionDigits == old?.fractionDigits && new?.zoned == old?.zoned
    }

    @Test(arguments: ["2024-01-02T03:04:05", "2013-01-01T10:00:00Z", "2013-01-01 10:00:00z", "1999-12-31 23:59:59.5Z", "2000-02-29t00:00:00,123456789z",
                      "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999999999", "2023-02-28T12:30:45.12Z",
                      // Fractions the word-at-a-time fraction reader takes (1 to 8 digits, 7 before
                      // a zone) and the ones next to its bounds, which the loop reads.
                      "2024-01-31T00:00:00.000", "2100-02-28T01:02:03.1234567Z", "2000-02-29T01:02:03.12345678",
                      "1900-03-01T01:02:03.12345678Z", "2024-12-31T23:59:59.09876543", "2024-02-29 00:00:00,7z"])
    func everyCorruptionOfATimestampReadsAsBefore(valid: String) {
        let text = Array(valid.utf8)
        #expect(CSVValueParser.plainTimestamp(text.span) != nil, "\(valid) reads")
        #expect(Self.agree(text))
        var disagreements: [[UInt8]] = []
        for position in text.indices {
            for replacement in Self.replacements {
                var once = text
                once[position] = replacement
                if !Self.agree(once) { disagreements.append(once) }
                for second in Swift.stride(from: position + 1, to: text.count, by: 3) {
                    var twice = once
                    twice[second] = replacement
                    if !Self.agree(twice) { disagreements.append(twice) }
                }
            }
        }
        let differing = disagreements.count
        #expect(differing == 0, "\(differing) texts read differently, first \(disagreements.first ?? [])")
    }

    @Test func shortAndLongFieldsReadAsBefore() {
        let valid = Array("2024-01-02T03:04:05.123Z".utf8)
        for length in 0...valid.count {
            #expect(Self.agree(Array(valid[..<length])))
        }
        #expect(Self.agree(valid + Array("0".utf8)))
        #expect(Self.agree(Array("2024-01-02T03:04:05.1234567890".utf8)))
    }

    /// Every fraction of 1 to 10 digits (each digit 0–9 somewhere), with and without a zone, with
    /// `.` and `,`, reads as the loop reads it, and the fast reader's value is the fraction's.
    @Test func everyFractionLengthReadsAsBefore() {
        for digits in 1...10 {
            for first in 0...9 {
                let fraction = (0..<digits).map { UInt8(ascii: "0") + UInt8((first + 3 * $0) % 10) }
                for separator in [UInt8(ascii: "."), UInt8(ascii: ",")] {
                    for zone in [[], [UInt8(ascii: "Z")], [UInt8(ascii: "z")], [UInt8(ascii: "Y")]] as [[UInt8]] {
                        let text = Array("2024-03-01T12:34:56".utf8) + [separator] + fraction + zone
                        #expect(Self.agree(text), "\(String(decoding: text, as: UTF8.self))")
                    }
                }
                if digits <= 9 {
                    let text = Array("2024-03-01T12:34:56.".utf8) + fraction + [UInt8(ascii: "Z")]
                    let expected = fraction.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
                        * [1, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1][digits]
                    #expect(CSVValueParser.plainTimestamp(text.span)?.nanoseconds == expected)
                }
            }
        }
    }

    /// The days of a four-digit year's dates, computed without signed divisions, are those of the
    /// general formula, for every date of the years 0–9999.
    @Test func daysOfFourDigitYearsMatchTheGeneralFormula() {
        var differing = 0
        for year in 0...9999 {
            for month in 1...12 {
                for day in 1...CivilTime.daysInMonth(year: year, month: month)
                where CivilTime.days(fourDigitYear: year, month: month, day: day) != CivilTime.days(year: year, month: month, day: day) {
                    differing += 1
                }
            }
        }
        #expect(differing == 0)
    }

    /// A day is a day of its month exactly when it is from 1 to the month's last.
    @Test func isDayMatchesTheMonthsLength() {
        for year in [0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9996, 9999] {
            for month in 1...12 {
                for day in -1...33 {
                    let expected = day >= 1 && day <= CivilTime.daysInMonth(year: year, month: month)
                    #expect(CivilTime.isDay(day, ofMonth: month, year: year) == expected, "\(year)-\(month)-\(day)")
                }
            }
        }
    }
}
