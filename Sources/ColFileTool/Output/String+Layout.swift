extension String {
    /// The string padded with spaces on the right to at least `width` characters.
    func padded(toWidth width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }

    /// The string without spaces at its end (right-aligned empty cells leave some).
    var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
