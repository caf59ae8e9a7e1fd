/// Reads CSV fields as values. Functions take the field's UTF-8 bytes.
///
/// Integers with redundant leading zeros (`007`, `-01`) are text, not numbers, when inferring:
/// they are usually codes whose zeros matter (zip codes, ids). A type a schema gives reads
/// them as numbers.
package enum CSVValueParser {
    /// The narrowest token for the field `bytes`.
    static func classify(_ bytes: Span<UInt8>) -> CSVToken {
        guard !bytes.isEmpty else { return .text }
        switch bytes[0] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return classifyNumeric(bytes)
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            return bool(bytes).map(CSVToken.bool) ?? .text
        case UInt8(ascii: "i"), UInt8(ascii: "I"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            return float(bytes, strict: true).map(CSVToken.float) ?? .text
        default:
            return .text
        }
    }

    /// ``classify(_:)`` for a field that starts with a digit, a sign or a point. The leading
    /// digits are read once, and the byte after them says which parser may take the field: none
    /// (all digits: an integer, or text when beyond Int64 or with leading zeros, keeping every
    /// digit), the date and timestamp parser (a `-` after a 4-digit year, or a signed expanded
    /// year), else the decimal parser.
    private static func classifyNumeric(_ bytes: Span<UInt8>) -> CSVToken {
        let (digitsStart, index, magnitude) = leadingDigits(bytes)
        if index == bytes.count {
            let digits = index - digitsStart
            guard digits <= 18 else { return integer(bytes, strict: true).map(CSVToken.int) ?? .text }
            // No digits is text, and so are redundant leading zeros (keeping every digit).
            guard digits == 1 || digits > 1 && bytes[digitsStart] != UInt8(ascii: "0") else { return .text }
            return .int(bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude)
        }
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") || bytes.count >= 13 && bytes[0] &- UInt8(ascii: "0") >= 10,
           let (days, end) = datePart(bytes) {
            if end == bytes.count {
                if let days = Int32(exactly: days) { return .date(days) }
            } else if let instant = timestamp(bytes, days: days, timeStart: end) {
                return .timestamp(instant)
            }
        }
        if let value = plainDecimal(bytes, digitsStart: digitsStart, point: index, integerPart: magnitude) {
            return .float(value)
        }
        return float(bytes, strict: true).map(CSVToken.float) ?? .text
    }

    /// The value of a field that ``classify(_:)`` reads as `.int(value)` with `value` exactly a
    /// Float64 (|value| ≤ 2^53), found in one pass over `[+-]digits` (1 to 18 digits, no redundant
    /// leading zero); nil for every other field, which `classify` then reads. An importer
    /// writing an Int64 or Float64 column takes such a field without a token (observing it would
    /// change nothing in the column's inference).
    @inline(__always)
    package static func plainInteger(_ bytes: Span<UInt8>) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count <= 8, bytes[0] &- UInt8(ascii: "0") < 10 { return shortInteger(bytes) }
        let signed = bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+")
        let digitsStart = signed ? 1 : 0
        let digits = bytes.count - digitsStart
        guard digits >= 1, digits <= 18, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        var magnitude: Int64 = 0
        for index in digitsStart..<bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude &* 10 &+ Int64(digit)
        }
        guard magnitude <= 1 << 53 else { return nil }
        return bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// The value of a field that ``classify(_:)`` reads as `.float(value)` by the plain decimal
    /// path (`[+-]digits.digits`, a significand of at most 2^53, see
    /// ``plainDecimal(_:digitsStart:point:integerPart:)``) or as `.int(value)` with |value| ≤ 2^53,
    /// found in one pass; nil for every other field, which `classify` then reads. For an importer
    /// writing a Float64 column: observing either token would change nothing in its inference.
    ///
    /// Such a field is never a date or a timestamp: those need a `-` after 4 digits, or after a
    /// sign and at least 6, where a plain number has only digits and one point.
    @inline(__always)
    static func plainNumber(_ bytes: Span<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count >= 2, bytes.count <= 8, let value = shortDecimal(bytes) { return value }
        return longNumber(bytes)
    }

    /// ``plainNumber(_:)`` of a field that is not a short decimal (``shortDecimal(_:)`` gave nil).
    @inline(__always)
    static func longNumber(_ bytes: Span<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        let (digitsStart, index, magnitude) = leadingDigits(bytes)
        if index == bytes.count { return plainInteger(bytes).map(Double.init) }
        return plainDecimal(bytes, digitsStart: digitsStart, point: index, integerPart: magnitude)
    }

    /// The leading digits of a non-empty field, after an optional sign: where they start (0, or 1
    /// after a sign), where they end, and their value, exact while there are at most 18 of them
    /// (wrapping, and unused, after).
    @inline(__always)
    private static func leadingDigits(_ bytes: Span<UInt8>) -> (digitsStart: Int, end: Int, magnitude: Int64) {
        let digitsStart = bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") ? 1 : 0
        var index = digitsStart
        var magnitude: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            magnitude = magnitude &* 10 &+ Int64(digit)
            index += 1
        }
        return (digitsStart, index, magnitude)
    }

    /// `[+-]digits.digits` whose digits, the integer part's already read (`integerPart`, from
    /// `digitsStart` to `point`), make a significand of at most 2^53: Clinger's fast path of
    /// ``float(_:as:strict:)`` without reading the integer part again. Nil for anything else
    /// (an exponent, more digits, redundant leading zeros, no digits), which that parser then reads.
    private static func plainDecimal(_ bytes: Span<UInt8>, digitsStart: Int, point: Int, integerPart: Int64) -> Double? {
        let integerDigits = point - digitsStart
        guard bytes[point] == UInt8(ascii: "."), integerDigits <= 15,
              integerDigits <= 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        var significand = UInt64(integerPart)
        var index = point + 1
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            // At most 19 digits in all: no overflow.
            guard digit < 10, integerDigits + (index - point) <= 19 else { return nil }
            significand = significand * 10 + UInt64(digit)
            index += 1
        }
        let fractionDigits = index - point - 1
        guard integerDigits + fractionDigits > 0, significand <= 1 << 53 else { return nil }
        let magnitude = Double(significand) / Self.powersOfTen[fractionDigits]
        return bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// Whether `bytes` from `start` are `word` (lowercase ASCII) in any letter case.
    ///
    /// Reads the word's bytes in place: `StaticString.description` made a `String` per call
    /// (seen in perf profiles of an import with a Bool column).
    private static func matches(_ bytes: Span<UInt8>, from start: Int, _ word: StaticString) -> Bool {
        guard bytes.count - start == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { letters in
            for offset in 0..<letters.count where unsafe bytes[start + offset] | 0x20 != letters[offset] {
                return false
            }
            return true
        }
    }

    /// `true`/`false` in any letter case.
    static func bool(_ bytes: Span<UInt8>) -> Bool? {
        if matches(bytes, from: 0, "true") { return true }
        if matches(bytes, from: 0, "false") { return false }
        return nil
    }

    /// A decimal Int64 with an optional sign; `strict` rejects redundant leading zeros.
    static func integer(_ bytes: Span<UInt8>, strict: Bool) -> Int64? {
        var index = 0
        var negative = false
        if !bytes.isEmpty, bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        let digits = bytes.count - index
        guard digits > 0 else { return nil }
        if strict, digits > 1, bytes[index] == UInt8(ascii: "0") { return nil }
        var value: Int64 = 0
        if digits <= 18 {
            // At most 18 digits cannot overflow: no checks per digit.
            while index < bytes.count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value &* 10 &+ Int64(digit)
                index += 1
            }
            return negative ? -value : value
        }
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(Int64(digit))
                : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A decimal unsigned integer with an optional `+`, for UInt64 columns.
    static func unsignedInteger(_ bytes: Span<UInt8>) -> UInt64? {
        var index = !bytes.isEmpty && bytes[0] == UInt8(ascii: "+") ? 1 : 0
        guard index < bytes.count else { return nil }
        var value: UInt64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A decimal floating-point number of type `T` (`[+-]digits[.digits][e[+-]digits]`, or
    /// `inf`/`infinity`/`nan` in any case with an optional sign), rounded to nearest. Text that
    /// overflows to infinity or underflows to zero is not a number (reading it would lose it).
    /// `strict` rejects redundant leading zeros.
    package static func float<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ bytes: Span<UInt8>, as type: T.Type = Double.self, strict: Bool
    ) -> T? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") { index = 1 }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "i") || bytes[index] | 0x20 == UInt8(ascii: "n") {
            if matches(bytes, from: index, "inf") || matches(bytes, from: index, "infinity") {
                return bytes[0] == UInt8(ascii: "-") ? -.infinity : .infinity
            }
            if matches(bytes, from: index, "nan") { return .nan }
        }
        let isDigit = { (byte: UInt8) in byte &- UInt8(ascii: "0") < 10 }
        var integerDigits = 0, fractionDigits = 0, nonZeroDigit = false
        // The digits as an integer while they fit 19 digits, for the exact fast path below.
        var significand: UInt64 = 0, significandDigits = 0
        func addDigit(_ byte: UInt8) {
            nonZeroDigit = nonZeroDigit || byte != UInt8(ascii: "0")
            guard nonZeroDigit else { return }
            significandDigits += 1
            if significandDigits <= 19 { significand = significand &* 10 &+ UInt64(byte &- UInt8(ascii: "0")) }
        }
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) {
            addDigit(bytes[index])
            integerDigits += 1
            index += 1
        }
        if strict, integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                addDigit(bytes[index])
                fractionDigits += 1
                index += 1
            }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var sign = 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
            }
            let exponentStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 100_000)
                index += 1
            }
            guard index > exponentStart else { return nil }
            exponent *= sign
        }
        guard index == bytes.count else { return nil }
        // Clinger's fast path: a significand of at most 2^53 times or divided by a power of ten
        // up to 10^22 is two exact doubles and one correctly rounded operation, so the result
        // is what strtod gives, without making a String (strtod stood out in perf profiles of an import).
        if T.self == Double.self, significandDigits <= 19, significand <= 1 << 53 {
            let scale = exponent - fractionDigits
            if (-22...22).contains(scale) {
                let magnitude = scale < 0 ? Double(significand) / Self.powersOfTen[-scale]
                    : Double(significand) * Self.powersOfTen[scale]
                return T(bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude)
            }
        }
        guard let value = T(text(bytes)) else { return nil }
        guard value.isFinite, value != 0 || !nonZeroDigit else { return nil }
        return value
    }

    /// 10^0 ... 10^22, every one exact in a Double.
    static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// The field `bytes` as a String (they are valid UTF-8: the record source checked them).
    static func text(_ bytes: Span<UInt8>) -> String {
        unsafe bytes.withUnsafeBufferPointer { unsafe String(decoding: $0, as: UTF8.self) }
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    static func date(_ bytes: Span<UInt8>) -> Int32? {
        guard let (days, end) = datePart(bytes), end == bytes.count, let days = Int32(exactly: days) else { return nil }
        return Int32(days)
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM|±HH]`.
    static func timestamp(_ bytes: Span<UInt8>) -> CSVTimestamp? {
        guard let (days, start) = datePart(bytes) else { return nil }
        return timestamp(bytes, days: days, timeStart: start)
    }

    /// ``timestamp(_:)`` after its date, `days` since 1970-01-01, which ends at `start`.
    private static func timestamp(_ bytes: Span<UInt8>, days: Int, timeStart start: Int) -> CSVTimestamp? {
        guard bytes.count >= start + 6 else { return nil }
        let separator = bytes[start]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
              let hour = number(bytes, start + 1, 2), bytes[start + 3] == UInt8(ascii: ":"),
              let minute = number(bytes, start + 4, 2),
              hour < 24, minute < 60 else { return nil }
        var index = start + 6
        var second = 0, nanoseconds: Int64 = 0, digits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let value = number(bytes, index + 1, 2), value < 60 else { return nil }
            second = value
            index += 3
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                    digits += 1
                    guard digits <= 9 else { return nil }
                    nanoseconds = nanoseconds * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<9 { nanoseconds *= 10 }
            }
        }
        var offsetSeconds = 0
        var zoned = false
        if index < bytes.count {
            zoned = true
            let sign = bytes[index]
            if sign | 0x20 == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let hours = number(bytes, index + 1, 2), hours < 24 else { return nil }
                index += 3
                var minutes = 0
                if index < bytes.count {
                    if bytes[index] == UInt8(ascii: ":") { index += 1 }
                    guard let value = number(bytes, index, 2), value < 60 else { return nil }
                    minutes = value
                    index += 2
                }
                offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            guard index == bytes.count else { return nil }
        }
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return CSVTimestamp(seconds: seconds, nanoseconds: nanoseconds, fractionDigits: digits, zoned: zoned)
    }

    /// The date at the start of `bytes`, `YYYY-MM-DD` or the expanded `±YYYYYY-MM-DD` (6 to 9 digits; ISO 8601,
    /// as `colfile export` prints years outside 0–9999), as days since 1970-01-01, and where it ends.
    private static func datePart(_ bytes: Span<UInt8>) -> (days: Int, end: Int)? {
        guard bytes.count >= 10 else { return nil }
        let year: Int
        var index: Int
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            index = 1
            while index < bytes.count, index <= 9, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index >= 7, let magnitude = number(bytes, 1, index - 1) else { return nil }
            year = bytes[0] == UInt8(ascii: "-") ? -magnitude : magnitude
        } else {
            guard let plain = number(bytes, 0, 4) else { return nil }
            year = plain
            index = 4
        }
        guard bytes.count >= index + 6, bytes[index] == UInt8(ascii: "-"), let month = number(bytes, index + 1, 2),
              bytes[index + 3] == UInt8(ascii: "-"), let day = number(bytes, index + 4, 2),
              (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month)
        else { return nil }
        return (CivilTime.days(year: year, month: month, day: day), index + 6)
    }

    /// The `count` decimal digits at `start`, or nil (inlined: a timestamp reads five or six).
    @inline(__always)
    private static func number(_ bytes: Span<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        return fixedDigits(bytes, start, count)
    }
}
