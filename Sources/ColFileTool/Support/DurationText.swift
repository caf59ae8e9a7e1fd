/// Durations written as a number and a unit, as `colfile cache clear --older-than` and
/// `colfile dataset gc --grace` take them.
enum DurationText {
    /// Seconds in a duration such as `90s`, `15m`, `12h` or `7d`; nil for anything else.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0 else {
            return nil
        }
        return count * unit
    }
}
