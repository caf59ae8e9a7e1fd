/// The data records of a CSV input, read by a ``CSVScanner`` from its first byte, with the column
/// names and the checks colfile adds: every record has as many fields as the header, blank lines
/// are skipped (in inputs of two or more columns), and text must be UTF-8.
final class CSVRecordSource {
    /// The input's name, for messages.
    let name: String
    /// The column names: the header's fields, or `column_1`, `column_2`, … with `--no-header`
    /// (also for empty header fields).
    let names: [String]
    /// The number of data records returned so far (the header is not counted).
    private(set) var rowNumber = 0
    /// The current record (valid after ``next()`` returned true).
    let record: CSVScanner
    private var holdsFirstRecord: Bool

    /// Starts reading `input` and reads its first record.
    ///
    /// - Throws: ``ToolFailure``: data when the input is empty, is not CSV or UTF-8, or its
    ///   header names a column twice; I/O when reading fails.
    init(_ input: CSVInput, delimiter: UInt8, hasHeader: Bool) throws {
        name = input.name
        record = CSVScanner(input: input.descriptor, delimiter: delimiter)
        let firstRow = hasHeader ? 0 : 1
        guard try Self.advance(record, name: name, row: firstRow) else {
            throw ToolFailure.data("\(name): the file is empty (no header row and no data)")
        }
        var names: [String] = []
        var seen: [String: Int] = [:]
        for index in 0..<record.fieldCount {
            let field = String(decoding: record.text[record.fieldRange(index)], as: UTF8.self)
            let name = hasHeader && !field.isEmpty ? field : "column_\(index + 1)"
            if let earlier = seen[name] {
                throw ToolFailure.data("\(input.name): the header names column '\(name)' twice (fields \(earlier + 1) "
                                       + "and \(index + 1)); rename one or use --no-header")
            }
            seen[name] = index
            names.append(name)
        }
        self.names = names
        holdsFirstRecord = !hasHeader
    }

    /// The bytes of the input consumed so far.
    var bytesRead: Int { record.bytesConsumed }

    /// Moves to the next data record, which has exactly one field per column.
    ///
    /// - Returns: false at the end of the input.
    /// - Throws: ``ToolFailure`` (data) for a record with another number of fields, bad quoting,
    ///   or text that is not UTF-8, naming the row (data rows count from 1; the header is not
    ///   counted); (I/O) when reading fails.
    func next() throws -> Bool {
        while true {
            if holdsFirstRecord {
                holdsFirstRecord = false
            } else {
                guard try Self.advance(record, name: name, row: rowNumber + 1) else { return false }
            }
            if record.fieldCount == 1, record.fieldEnds[0] == 0, !record.fieldQuoted[0], names.count > 1 { continue }
            rowNumber += 1
            guard record.fieldCount == names.count else {
                throw ToolFailure.data("\(name): row \(rowNumber) has \(record.fieldCount) field"
                                       + "\(record.fieldCount == 1 ? "" : "s"), expected \(names.count)")
            }
            return true
        }
    }

    /// Reads the scanner's next record and checks that it is UTF-8; `row` 0 is the header.
    private static func advance(_ scanner: CSVScanner, name: String, row: Int) throws -> Bool {
        let place = row == 0 ? "the header row" : "row \(row)"
        let found: Bool
        do {
            found = try scanner.next()
        } catch {
            switch error {
            case .unclosedQuote:
                throw ToolFailure.data("\(name): \(place): a quoted field is not closed before the end of the file")
            case .textAfterClosingQuote(let byte):
                let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte \(byte)"
                throw ToolFailure.data("\(name): \(place): \(shown) follows the closing quote of a quoted field "
                                       + "(a quote inside a quoted field is written \"\")")
            case .recordTooLong:
                throw ToolFailure.data("\(name): \(place) is longer than \(CSVScanner.maximumRecordBytes >> 20) MiB "
                                       + "(is a quote not closed?)")
            case .readFailed(let errno):
                throw ToolFailure.usage("\(name): cannot read the file: \(errno.description)")
            }
        }
        guard found else { return false }
        guard isUTF8(scanner.text) else { throw ToolFailure.data("\(name): \(place): the text is not valid UTF-8") }
        return true
    }

    /// Whether `bytes` are valid UTF-8 (ASCII is checked eight bytes at a time first).
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        let span = bytes.span
        let words = span.count / 8
        let raw = unsafe span.bytes
        var isASCII = true
        for word in 0..<words where unsafe raw.unsafeLoadUnaligned(fromByteOffset: word * 8, as: UInt64.self)
            & 0x8080_8080_8080_8080 != 0 {
            isASCII = false
            break
        }
        if isASCII {
            for index in (words * 8)..<span.count where span[index] >= 0x80 {
                isASCII = false
                break
            }
        }
        return isASCII || (try? UTF8Span(validating: span)) != nil
    }
}
