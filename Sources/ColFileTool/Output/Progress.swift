import Glibc

/// A one-line progress report on stderr (rows, bytes, rate), redrawn at most four times a second,
/// shown only when stderr is a terminal and `--quiet` was not given.
final class Progress {
    private let label: String
    private let isShown: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var drawn = false

    /// A progress line that starts with `label`.
    init(_ label: String, quiet: Bool) {
        self.label = label
        self.isShown = !quiet && isatty(2) == 1
        start = clock.now
        lastDraw = start
    }

    /// Redraws the line (rows and bytes done, and their rates) if a quarter second has passed
    /// since the last time.
    func update(rows: Int, bytes: Int) {
        draw { seconds in
            "\(TextFormatting.grouped(rows)) rows, \(TextFormatting.bytes(bytes)) "
                + "(\(TextFormatting.grouped(Int(Double(rows) / seconds))) rows/s, "
                + "\(TextFormatting.bytes(Int(Double(bytes) / seconds)))/s)"
        }
    }

    /// Redraws the line (the column at work, bytes done and their rate) if a quarter second has
    /// passed since the last time.
    func update(column: Int, of columns: Int, bytes: Int) {
        draw { seconds in
            "column \(TextFormatting.grouped(column)) of \(TextFormatting.grouped(columns)), "
                + "\(TextFormatting.bytes(bytes)) (\(TextFormatting.bytes(Int(Double(bytes) / seconds)))/s)"
        }
    }

    private func draw(_ text: (Double) -> String) {
        guard isShown else { return }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(250) else { return }
        lastDraw = now
        let line = "\(label): " + text(max(TextFormatting.seconds(now - start), 1e-9))
        StandardError.write("\r\u{1B}[K" + line)
        drawn = true
    }

    /// Erases the line.
    func finish() {
        guard drawn else { return }
        StandardError.write("\r\u{1B}[K")
        drawn = false
    }
}
