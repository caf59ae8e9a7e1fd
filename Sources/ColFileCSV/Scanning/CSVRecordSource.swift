/// The data records of a CSV input in blocks, read by a ``CSVScanner`` from its first byte, with
/// the column names and the checks colfile adds: every record has as many fields as the header,
/// blank lines are skipped (in inputs of two or more columns), and text must be UTF-8.
///
/// A block is a few thousand records (a ``CSVBlock``), so the importer can convert a block column
/// by column.
final class CSVRecordSource {
    /// The most records in a block.
    static let blockRows = 4096
    /// A block ends after the record that makes its text this long or longer.
    static let blockBytes = 1 << 20

    /// The input's name, for messages.
    let name: String
    /// The column names: the header's fields, or `column_1`, `column_2`, … with `--no-header`
    /// (also for empty header fields).
    let names: [String]
    /// The number of data records read so far (the header is not counted).
    private(set) var rowNumber = 0
    /// The scanner, which keeps the records of the block being read.
    private let record: CSVScanner
    private var holdsFirstRecord: Bool
    /// A problem met after the records of the last block, thrown by the next call.
    private var pendingProblem: (any Error)?

    /// Starts reading `input` and reads its first record.
    ///
    /// - Parameters:
    ///   - names: The column names an earlier source of the same input found, for a pass that
    ///     reads the input again: the header is then checked against them byte by byte instead
    ///     of made into names again (at 50,000 columns, a String and a hash each).
    /// - Throws: ``CSVError``: ``CSVError/Kind/invalidCSV`` when the input is empty, is not CSV or UTF-8, or its
    ///   header names a column twice, or is not the header of `names`; ``CSVError/Kind/io`` when reading fails.
    init(_ input: CSVInput, delimiter: UInt8, hasHeader: Bool, names known: [String]? = nil) throws {
        name = input.name
        let record = CSVScanner(input: input.descriptor, delimiter: delimiter)
        self.record = record
        let firstRow = hasHeader ? 0 : 1
        guard try Self.readFirstRecord(record, name: name, row: firstRow) else {
            throw CSVError(.invalidCSV, "\(name): the file is empty (no header row and no data)")
        }
        holdsFirstRecord = !hasHeader
        if let known, Self.header(of: record, hasHeader: hasHeader, matches: known) {
            names = known
            record.skipsBlankLines = names.count > 1
            return
        }
        if known != nil {
            throw CSVError(.invalidCSV, "\(input.name): the file changed while it was imported")
        }
        // The scanner's arrays read once, not through its properties field by field (a retain
        // and a release each, 50,000 of them at 50,000 columns).
        let text = record.text
        let ends = record.fieldEnds
        let count = record.fieldCount
        var names: [String] = []
        names.reserveCapacity(count)
        var seen = DistinctNames(capacity: count)
        for index in 0..<count {
            let field = String(decoding: text[CSVScanner.fieldRange(index, in: ends)], as: UTF8.self)
            let name = hasHeader && !field.isEmpty ? field : "column_\(index + 1)"
            if let earlier = seen.insert(name, at: index, of: names) {
                throw CSVError(.invalidCSV, "\(input.name): the header names column '\(name)' twice (fields \(earlier + 1) "
                                       + "and \(index + 1)); rename one or use --no-header")
            }
            names.append(name)
        }
        self.names = names
        record.skipsBlankLines = names.count > 1
    }

    /// Whether the first record `scanner` holds gives the column names `names` (a header's
    /// fields, each compared as bytes; or, without a header, as many fields as names).
    private static func header(of scanner: CSVScanner, hasHeader: Bool, matches names: [String]) -> Bool {
        guard scanner.fieldCount == names.count else { return false }
        guard hasHeader else { return true }
        let text = scanner.text
        for index in names.indices {
            let field = text[scanner.fieldRange(index)]
            // An empty field is named `column_N`, as the first source named it.
            let matches = field.isEmpty ? names[index] == "column_\(index + 1)" : names[index].utf8.elementsEqual(field)
            guard matches else { return false }
        }
        return true
    }

    /// Makes room in the arrays the next block is read into (``CSVScanner/reserveCapacity(fields:textBytes:)``).
    func reserveBlockCapacity(fields: Int, textBytes: Int) {
        record.reserveCapacity(fields: fields, textBytes: textBytes)
    }

    /// Releases the arrays the scanner keeps for the next block (at the end of the input, before
    /// the importer's finish: their capacity is a block's, some 20 MB for wide records). A block
    /// read after this reserves them again.
    func releaseBlockMemory() {
        var text: [UInt8] = []
        var fieldEnds: [UInt32] = []
        record.exchangeRecords(&text, &fieldEnds)
    }

    /// The bytes of the input consumed so far.
    var bytesRead: Int { record.bytesConsumed }

    /// Reads the next block of at most `maxRows` data records, each with exactly one field per
    /// column, into `block` (whose arrays the scanner keeps for the block after); the block ends
    /// after the record that makes its text `maxBytes` long or longer.
    ///
    /// `block.rows` is 0 at the end of the input.
    /// - Throws: ``CSVError/Kind/invalidCSV`` for a record with another number of fields, bad quoting,
    ///   or text that is not UTF-8, naming the row (data rows count from 1; the header is not
    ///   counted); ``CSVError/Kind/io`` when reading fails.
    ///   A problem is thrown only after the records before it were returned as a block of their
    ///   own, so a caller meets problems in the order of the file.
    func nextBlock(into block: inout CSVBlock, maxRows: Int = blockRows, maxBytes: Int = blockBytes) throws {
        if let problem = pendingProblem { throw problem }
        block.firstRow = rowNumber + 1
        block.names = names
        var checked = 0
        defer {
            block.rows = checked
            record.exchangeRecords(&block.text, &block.fieldEnds)
        }
        if holdsFirstRecord {
            holdsFirstRecord = false
        } else {
            record.removeRecords()
        }
        do {
            try check(from: &checked)
            while checked < maxRows, record.text.count < maxBytes {
                let read: Int
                do {
                    read = try record.nextRecords(maxRows - checked, stoppingAt: maxBytes)
                } catch {
                    // The records completed before the problem come first.
                    try check(from: &checked)
                    throw Self.failure(error, name: name, place: "row \(rowNumber + 1)")
                }
                guard read > 0 else { break }
                try check(from: &checked)
            }
        } catch {
            guard checked > 0 else { throw error }
            pendingProblem = error
        }
    }

    /// Checks the records the scanner keeps from index `checked` on, advancing `checked` past
    /// each good one: each has one field per column and its text is UTF-8.
    private func check(from checked: inout Int) throws {
        let starts = record.recordStarts
        let fieldEnds = record.fieldEnds
        let completeFields = record.recordFieldStart
        let text = record.text
        guard checked < starts.count else { return }
        let textStart = starts[checked] == 0 ? 0 : CSVScanner.end(fieldEnds[starts[checked] - 1]) + 1
        // Text all ASCII (the usual case) is UTF-8 in every record.
        let isASCII = Self.isASCII(text.span.extracting(textStart...))
        while checked < starts.count {
            let fieldStart = starts[checked]
            let fieldEnd = checked + 1 < starts.count ? starts[checked + 1] : completeFields
            rowNumber += 1
            if !isASCII {
                let range = (fieldStart == 0 ? 0 : CSVScanner.end(fieldEnds[fieldStart - 1]) + 1)
                    ..< CSVScanner.end(fieldEnds[fieldEnd - 1])
                guard (try? UTF8Span(validating: text.span.extracting(range))) != nil else {
                    throw CSVError(.invalidCSV, "\(name): row \(rowNumber): the text is not valid UTF-8")
                }
            }
            let fields = fieldEnd - fieldStart
            guard fields == names.count else {
                throw CSVError(.invalidCSV, "\(name): row \(rowNumber) has \(fields) field\(fields == 1 ? "" : "s"), "
                                       + "expected \(names.count)")
            }
            checked += 1
        }
    }

    /// Reads the scanner's first record and checks that it is UTF-8; `row` 0 is the header.
    private static func readFirstRecord(_ scanner: CSVScanner, name: String, row: Int) throws -> Bool {
        let place = row == 0 ? "the header row" : "row \(row)"
        let found: Bool
        do {
            found = try scanner.next()
        } catch {
            throw failure(error, name: name, place: place)
        }
        guard found else { return false }
        let text = scanner.text
        guard isASCII(text.span) || (try? UTF8Span(validating: text.span)) != nil else {
            throw CSVError(.invalidCSV, "\(name): \(place): the text is not valid UTF-8")
        }
        return true
    }

    /// The failure for a scanner's `error` at `place` (a row or the header row).
    private static func failure(_ error: CSVScanner.SyntaxError, name: String, place: String) -> CSVError {
        switch error {
        case .unclosedQuote:
            CSVError(.invalidCSV, "\(name): \(place): a quoted field is not closed before the end of the file")
        case .textAfterClosingQuote(let byte):
            CSVError(.invalidCSV, "\(name): \(place): "
                             + (byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte \(byte)")
                             + " follows the closing quote of a quoted field (a quote inside a quoted field is written \"\")")
        case .recordTooLong:
            CSVError(.invalidCSV, "\(name): \(place) is longer than \(CSVScanner.maximumRecordBytes >> 20) MiB "
                             + "(is a quote not closed?)")
        case .readFailed(let errno):
            CSVError(.io, "\(name): cannot read the file: \(errno.description)")
        }
    }

    /// Whether `span` is ASCII: checked 32 bytes at a time (four words OR-ed, one test of their
    /// high bits, loaded without a bounds check each; a checked load and a test per word were
    /// 7 instructions a word, 2 % of a trades import's), then eight, then one.
    ///
    /// Audited unsafe scope: every word loaded lies in `0..<buffer.count`.
    static func isASCII(_ span: Span<UInt8>) -> Bool {
        unsafe span.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return true }
            let raw = unsafe UnsafeRawPointer(base)
            let highBits: UInt64 = 0x8080_8080_8080_8080
            let count = buffer.count
            var index = 0
            while index + 32 <= count {
                let any = unsafe raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                if any & highBits != 0 { return false }
                index += 32
            }
            while index + 8 <= count {
                if unsafe raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & highBits != 0 { return false }
                index += 8
            }
            while index < count {
                if unsafe buffer[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }
    }
}
