
/// Renders numbers, sizes, durations and checksums for people, the same way in every subcommand.
enum TextFormatting {
    /// `text` on one line with nothing a terminal acts on: a backslash becomes `\\`, LF, CR and
    /// tab `\n`, `\r`, `\t`, and other control characters `\u{1B}` (for table cells and error
    /// lines, whose text can come from a file).
    static func escapingControls(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value):
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// `5000000` as `5,000,000`.
    static func grouped(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// A byte count in decimal units: `812 B`, `40.0 MB`, `1.25 GB`.
    static func bytes(_ count: some BinaryInteger) -> String {
        let value = Double(count)
        let units: [(String, Double)] = [("GB", 1e9), ("MB", 1e6), ("kB", 1e3)]
        for (unit, scale) in units where value >= scale {
            return fixed(value / scale, digits: value / scale >= 100 ? 0 : 1) + " " + unit
        }
        return "\(count) B"
    }

    /// A duration in the unit that suits it: `38 µs`, `4.2 ms`, `412 ms`, `1.23 s`.
    static func duration(_ duration: Duration) -> String {
        let seconds = self.seconds(duration)
        switch seconds {
        case ..<1e-3: return fixed(seconds * 1e6, digits: seconds < 1e-5 ? 1 : 0) + " µs"
        case ..<1: return fixed(seconds * 1e3, digits: seconds < 1e-2 ? 1 : 0) + " ms"
        default: return fixed(seconds, digits: 2) + " s"
        }
    }

    /// Bytes per second as `1.93 GB/s`.
    static func throughput(bytes: some BinaryInteger, in duration: Duration) -> String {
        let seconds = max(self.seconds(duration), 1e-9)
        return fixed(Double(bytes) / seconds / 1e9, digits: 2) + " GB/s"
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    /// `value` with exactly `digits` (0–9) digits after the point, rounded half away from zero;
    /// a value too large for that (|value| × 10^digits ≥ 9×10^18) or not finite as Swift prints it.
    static func fixed(_ value: Double, digits: Int) -> String {
        precondition((0...9).contains(digits), "fixed: 0 to 9 digits after the point")
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        guard value.isFinite, scaled < 9.0e18 else { return value.description }
        let units = UInt64(scaled)
        let whole = (value < 0 && units != 0 ? "-" : "") + String(units / scale)
        return digits == 0 ? whole : whole + "." + decimal(units % scale, width: digits)
    }

    /// `text` without the white space at its start and end.
    static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.isWhitespace }.map(text.index(after:)) ?? start
        return text[start..<end]
    }

    /// `value` in decimal, zero-padded to `width` digits (after the sign).
    static func decimal(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `value` as lowercase hex, zero-padded to `width` digits.
    static func hex(_ value: some BinaryInteger, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
