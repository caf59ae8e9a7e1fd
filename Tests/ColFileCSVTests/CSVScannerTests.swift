import ColFileCSV
import ColFileTestSupport
import SystemPackage
import Testing

/// The scanner must keep what the records generated say, whatever its buffer size and however a
/// caller asks for them: the fields and their quote bits, the kept text (each field verbatim,
/// a doubled quote as one, then its separator, the CR of a CRLF and no LF), blank lines kept or
/// skipped, and calls that stop at a record limit or at the first record that makes the text
/// reach the limit given. The records' text is copied in runs that span records, so record and
/// text limits, CRLF and skipped blank lines are where a copy could go wrong.
@Suite struct CSVScannerTests {
    /// A generated record: its fields (text and whether quoted) and its line end (nil: none, at
    /// the end of the file).
    private struct Record {
        var fields: [(text: [UInt8], quoted: Bool)]
        var lineEnd: [UInt8]?

        var isBlank: Bool { fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted }
    }

    /// Random records from a small seeded generator (deterministic, no global state).
    private static func records(seed: UInt64, count: Int) -> [Record] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let unquotedBytes = Array("abc019 '.-".utf8) + [0xC3, 0xA9]
        let quotedBytes = Array("ab1,\"\n\r x".utf8)
        var records: [Record] = []
        for index in 0..<count {
            var fields: [(text: [UInt8], quoted: Bool)] = []
            if next(6) == 0 {
                fields = [([], false)]  // a blank line
            } else {
                for _ in 0..<(1 + next(9)) {
                    let length = next(4) == 0 ? 0 : next(14)
                    if next(3) == 0 {
                        fields.append(((0..<length).map { _ in quotedBytes[next(quotedBytes.count)] }, true))
                    } else {
                        // A quote is text inside an unquoted field, but not its first byte.
                        var text = (0..<length).map { _ in unquotedBytes[next(unquotedBytes.count)] }
                        if length > 1, next(5) == 0 { text[1] = UInt8(ascii: "\"") }
                        fields.append((text, false))
                    }
                }
            }
            var lineEnd = [[UInt8(ascii: "\n")], [UInt8(ascii: "\r"), UInt8(ascii: "\n")], [UInt8(ascii: "\r")]][next(3)]
            // A blank line's LF right after a lone CR would make a CRLF.
            if records.last?.lineEnd == [UInt8(ascii: "\r")], fields.count == 1, fields[0].text.isEmpty, !fields[0].quoted,
               lineEnd == [UInt8(ascii: "\n")] {
                lineEnd = [UInt8(ascii: "\r")]
            }
            let record = Record(fields: fields, lineEnd: lineEnd)
            // The last record may end without a line end, unless it is blank (it would vanish).
            if index == count - 1, !record.isBlank, next(2) == 0 {
                records.append(Record(fields: fields, lineEnd: nil))
            } else {
                records.append(record)
            }
        }
        return records
    }

    /// The file's bytes for `records`.
    private static func file(_ records: [Record]) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records {
            for (index, field) in record.fields.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if field.quoted {
                    bytes.append(UInt8(ascii: "\""))
                    for byte in field.text {
                        bytes.append(byte)
                        if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    }
                    bytes.append(UInt8(ascii: "\""))
                } else {
                    bytes += field.text
                }
            }
            bytes += record.lineEnd ?? []
        }
        return bytes
    }

    /// The text the scanner keeps for `record`.
    private static func keptText(_ record: Record) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, field) in record.fields.enumerated() {
            if field.quoted { bytes.append(UInt8(ascii: "\"")) }
            bytes += field.text
            if field.quoted { bytes.append(UInt8(ascii: "\"")) }
            bytes.append(index == record.fields.count - 1 ? record.lineEnd?.first ?? UInt8(ascii: "\n") : UInt8(ascii: ","))
        }
        return bytes
    }

    @Test(arguments: [3, 8, 9, 61, 64, 65, 127, 4096, 1 << 20], [false, true])
    func recordsReadAsGenerated(bufferSize: Int, skipsBlankLines: Bool) throws {
        let folder = try TemporaryFolder("scanner")
        for seed in [1, 2, 3] as [UInt64] {
            let records = Self.records(seed: seed, count: 400)
            let path = folder.file("records-\(seed).csv")
            let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
            _ = try fd.writeAll(Self.file(records))
            try fd.close()
            let input = try FileDescriptor.open(FilePath(path), .readOnly)
            defer { try? input.close() }
            let kept = records.filter { !(skipsBlankLines && $0.isBlank) }

            let scanner = CSVScanner(input: input, delimiter: UInt8(ascii: ","), bufferSize: bufferSize)
            scanner.skipsBlankLines = skipsBlankLines
            var state = seed
            var read = 0
            var calls = 0
            while true {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let limit = 1 + Int(state >> 33) % 9
                let textLimit = 1 + Int(state >> 40) % 400
                let count = try scanner.nextRecords(limit, stoppingAt: textLimit)
                calls += 1
                if count == 0 { break }
                #expect(count <= limit)
                // A call that stopped before its record limit, not at the end of the file, had
                // reached the text limit, and not before its last record.
                let expected = Array(kept[read..<(read + count)])
                let texts = expected.map(Self.keptText)
                if count < limit, read + count < kept.count {
                    #expect(scanner.text.count >= textLimit, "seed \(seed) call \(calls): stopped early")
                }
                if count > 1 {
                    #expect(texts.dropLast().reduce(0) { $0 + $1.count } < textLimit, "seed \(seed) call \(calls): stopped late")
                }
                let textMatches = scanner.text == Array(texts.joined())
                #expect(textMatches, "seed \(seed) call \(calls): text")
                // The fields' ranges are read only from the text expected.
                guard textMatches else { break }
                #expect(scanner.recordStarts.count == count)
                var fieldIndex = 0
                for (offset, record) in expected.enumerated() {
                    #expect(scanner.recordStarts[offset] == fieldIndex, "seed \(seed) call \(calls): record start")
                    for field in record.fields {
                        guard fieldIndex < scanner.fieldEnds.count else { break }
                        #expect(Array(scanner.text[scanner.fieldRange(fieldIndex)]) == field.text
                                && scanner.isFieldQuoted(fieldIndex) == field.quoted,
                                "seed \(seed) call \(calls): field \(fieldIndex)")
                        fieldIndex += 1
                    }
                }
                #expect(scanner.fieldEnds.count == fieldIndex)
                read += count
                scanner.removeRecords()
            }
            #expect(read == kept.count, "seed \(seed): records read")
        }
    }
}
