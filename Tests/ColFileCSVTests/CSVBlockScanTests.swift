import ColFileCSV
import ColFileTestSupport
import SystemPackage
import Testing

/// The scanner's 64-byte block path (`CSVBlockScan`) against a byte-at-a-time reference parser
/// written from the scanner's documented rules: every place the block path leaves its loop (a
/// record end or a field start on a block's last or first byte, a quoted field or a doubled
/// quote across a block or the buffer's end, a CR or CRLF split by the buffer's end, a skipped
/// blank line, text after a closing quote, a record or text limit reached inside a block) is
/// moved across every alignment to a block and to the buffer's end, at several buffer sizes.
@Suite struct CSVBlockScanTests {
    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let comma = UInt8(ascii: ",")

    /// What the scanner must keep for a whole file: its text and packed field ends as the
    /// scanner documents them, each record's first field, the text's length after each record,
    /// and the error the file ends with (after `records.count` records), if any.
    private struct Expected {
        var text: [UInt8] = []
        var fieldEnds: [UInt32] = []
        var recordStarts: [Int] = []
        var textEnds: [Int] = []
        var completeFields = 0
        var error: CSVScanner.SyntaxError?
    }

    /// The reference: RFC 4180 with the scanner's rules, one byte at a time.
    private static func reference(_ bytes: [UInt8], skipsBlankLines: Bool) -> Expected {
        var expected = Expected()
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var recordFieldStart = 0
        var recordTextStart = 0
        func endRecord(_ separator: UInt8) {
            expected.text.append(separator)
            let isBlank = expected.fieldEnds.count - recordFieldStart == 1
                && expected.fieldEnds.last == UInt32(recordTextStart) << 1
            if skipsBlankLines, isBlank {
                expected.fieldEnds.removeLast()
                expected.text.removeLast()
            } else {
                expected.recordStarts.append(recordFieldStart)
                expected.textEnds.append(expected.text.count)
            }
            recordFieldStart = expected.fieldEnds.count
            recordTextStart = expected.text.count
            expected.completeFields = recordFieldStart
        }
        while index < bytes.count {
            var quoted = false
            if bytes[index] == quote {
                quoted = true
                expected.text.append(quote)
                index += 1
                while true {
                    guard index < bytes.count else {
                        expected.error = .unclosedQuote
                        return expected
                    }
                    let byte = bytes[index]
                    index += 1
                    if byte == quote {
                        if index < bytes.count, bytes[index] == quote {
                            expected.text.append(quote)
                            index += 1
                            continue
                        }
                        expected.text.append(quote)
                        break
                    }
                    expected.text.append(byte)
                }
            } else {
                while index < bytes.count, ![comma, lineFeed, carriageReturn].contains(bytes[index]) {
                    expected.text.append(bytes[index])
                    index += 1
                }
            }
            expected.fieldEnds.append(UInt32(expected.text.count) << 1 | (quoted ? 1 : 0))
            guard index < bytes.count else {
                endRecord(lineFeed)
                return expected
            }
            let separator = bytes[index]
            index += 1
            switch separator {
            case comma:
                expected.text.append(comma)
                if index == bytes.count {
                    // An empty last field at the end of the file.
                    expected.fieldEnds.append(UInt32(expected.text.count) << 1)
                    endRecord(lineFeed)
                }
            case lineFeed, carriageReturn:
                if separator == carriageReturn, index < bytes.count, bytes[index] == lineFeed { index += 1 }
                endRecord(separator)
            default:
                expected.error = .textAfterClosingQuote(separator)
                return expected
            }
        }
        return expected
    }

    /// Scans `bytes` (written to `path`) in calls of seeded random record and text limits,
    /// keeping every record, and checks each call's count, the kept text, field ends and record
    /// starts, and the error, against ``reference(_:skipsBlankLines:)``.
    private static func check(_ bytes: [UInt8], path: FilePath, bufferSize: Int, skipsBlankLines: Bool,
                              seed: UInt64, _ label: String) throws {
        let fd = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        _ = try fd.writeAll(bytes)
        try fd.close()
        let input = try FileDescriptor.open(path, .readOnly)
        defer { try? input.close() }
        let expected = reference(bytes, skipsBlankLines: skipsBlankLines)
        let scanner = CSVScanner(input: input, delimiter: comma, bufferSize: bufferSize)
        scanner.skipsBlankLines = skipsBlankLines
        var state = seed
        var thrown: CSVScanner.SyntaxError?
        while true {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let limit = 1 + Int(state >> 33) % 40
            let textLimit = scanner.text.count + 1 + Int(state >> 45) % 600
            let kept = scanner.recordStarts.count
            // The call ends after the first record that reaches a limit; with none, at the end
            // of the file or at the error.
            var wanted = 0
            var reachesLimit = false
            while kept + wanted < expected.recordStarts.count {
                wanted += 1
                if wanted == limit || expected.textEnds[kept + wanted - 1] >= textLimit {
                    reachesLimit = true
                    break
                }
            }
            do {
                let count = try scanner.nextRecords(limit, stoppingAt: textLimit)
                #expect(reachesLimit || expected.error == nil, "\(label): call from record \(kept) returned, not threw")
                #expect(count == wanted, "\(label): call from record \(kept)")
                guard count == wanted, count > 0 else { break }
            } catch {
                #expect(!reachesLimit, "\(label): call from record \(kept) threw early")
                thrown = error
                break
            }
        }
        #expect(thrown == expected.error, "\(label): error")
        #expect(scanner.recordStarts == expected.recordStarts, "\(label): record starts")
        #expect(scanner.recordFieldStart == expected.completeFields, "\(label): complete records' fields")
        let fields = expected.completeFields
        #expect(Array(scanner.fieldEnds.prefix(fields)) == Array(expected.fieldEnds.prefix(fields)), "\(label): field ends")
        let textEnd = expected.textEnds.last ?? 0
        #expect(Array(scanner.text.prefix(textEnd)) == Array(expected.text.prefix(textEnd)), "\(label): text")
        if expected.error == nil {
            #expect(scanner.fieldEnds == expected.fieldEnds && scanner.text == expected.text, "\(label): whole output")
        }
    }

    /// The constructs the block path leaves its loop for, or might get wrong, each placed after
    /// a filler of every length from 0 to 129 bytes: so each meets every offset in a 64-byte
    /// block and, at the smaller buffer sizes, the buffer's end.
    static let constructs: [(name: String, text: String)] = [
        ("record ends", "a,b\nc,d\ne\n"),
        ("quoted field", "\"x,y\nz\",w\n1,\"2\"\n"),
        ("doubled quote", "\"a\"\"b\",\"\"\"\",c\n"),
        ("long quoted field", "\"" + String(repeating: "q,", count: 70) + "\"\"" + String(repeating: "r\n", count: 40) + "\"\n"),
        ("long unquoted field", String(repeating: "u", count: 150) + ",v\n"),
        ("CRLF and lone CR", "a,\"b\"\r\nc\rd,e\r\n\"f\"\r"),
        ("blank lines", "x\n\n\ny,z\n\r\n\n"),
        ("quote inside an unquoted field", "5'10\",6'\"\"\n"),
        ("empty fields", ",,\n\"\",\n,\"\"\n"),
        ("field start on a quote after a line end", "a\n\"b\"\n\"c\",\"d\"\n"),
    ]

    @Test(arguments: [64, 65, 100, 128, 1 << 20], [false, true])
    func everyConstructAtEveryAlignment(bufferSize: Int, skipsBlankLines: Bool) throws {
        let folder = try TemporaryFolder("block-scan")
        let path = FilePath(folder.file("construct.csv"))
        for (number, construct) in Self.constructs.enumerated() {
            for filler in 0..<130 {
                // A filler field, then the construct twice (its second copy at another alignment).
                let bytes = Array((String(repeating: "f", count: filler) + "," + construct.text + construct.text).utf8)
                try Self.check(bytes, path: path, bufferSize: bufferSize,
                               skipsBlankLines: skipsBlankLines, seed: UInt64(number * 1000 + filler),
                               "\(construct.name), filler \(filler), buffer \(bufferSize)")
            }
        }
    }

    @Test(arguments: [64, 100, 128, 1 << 20])
    func errorsAtEveryAlignment(bufferSize: Int) throws {
        let folder = try TemporaryFolder("block-scan-errors")
        let path = FilePath(folder.file("error.csv"))
        let endings = ["\"ab\"x,c\n", "\"a\"\r\"b\"\n", "\"a\" \n", "a,\"never closed\n"]
        for (number, ending) in endings.enumerated() {
            for filler in 0..<130 {
                let bytes = Array(("g," + String(repeating: "h", count: filler) + "\n1,2\n" + ending + "3,4\n").utf8)
                try Self.check(bytes, path: path, bufferSize: bufferSize, skipsBlankLines: true,
                               seed: UInt64(number * 1000 + filler), "error \(number), filler \(filler), buffer \(bufferSize)")
            }
        }
    }

    @Test func byteOrderMarkThenBlocks() throws {
        let folder = try TemporaryFolder("block-scan-bom")
        for filler in 0..<70 {
            let bytes = [0xEF, 0xBB, 0xBF] + Array((String(repeating: "b", count: filler) + ",\"c\"\n" + String(repeating: "d,", count: 50) + "\n").utf8)
            try Self.check(bytes, path: FilePath(folder.file("bom.csv")), bufferSize: 1 << 20, skipsBlankLines: false,
                           seed: UInt64(filler), "BOM, filler \(filler)")
        }
    }

    /// Random files of fields of every kind and length (quoted ones up to 150 bytes, with doubled
    /// quotes, delimiters and line ends inside), now and then a bad quote.
    @Test(arguments: [64, 77, 128, 4096])
    func randomFiles(bufferSize: Int) throws {
        let folder = try TemporaryFolder("block-scan-random")
        let path = FilePath(folder.file("random.csv"))
        let (quote, lineFeed, carriageReturn, comma) = (Self.quote, Self.lineFeed, Self.carriageReturn, Self.comma)
        for seed in 0..<40 as Range<UInt64> {
            var state = TestSeed.value ^ (seed &* 0x9E37_79B9_7F4A_7C15)
            func next(_ bound: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(state >> 33) % bound
            }
            var bytes: [UInt8] = []
            let quotedBytes = Array("ab,\"\n\r".utf8)
            let unquotedBytes = Array("xyz09\"'".utf8)
            for _ in 0..<(20 + next(60)) {
                if next(10) == 0 {
                    bytes += [[lineFeed], [carriageReturn, lineFeed], [carriageReturn]][next(3)]
                    continue
                }
                for field in 0..<(1 + next(12)) {
                    if field > 0 { bytes.append(comma) }
                    let length = [0, 1, 3, 7, 20, 63, 64, 65, 150][next(9)]
                    if next(3) == 0 {
                        bytes.append(quote)
                        for _ in 0..<length {
                            let byte = quotedBytes[next(quotedBytes.count)]
                            bytes.append(byte)
                            if byte == quote { bytes.append(quote) }
                        }
                        bytes.append(quote)
                        // Now and then a byte after the closing quote: an error.
                        if next(150) == 0 { bytes.append(UInt8(ascii: "!")) }
                    } else {
                        for position in 0..<length {
                            let byte = unquotedBytes[next(unquotedBytes.count)]
                            bytes.append(position == 0 && byte == quote ? UInt8(ascii: "x") : byte)
                        }
                    }
                }
                bytes += [[lineFeed], [carriageReturn, lineFeed], [carriageReturn]][next(3)]
            }
            if next(4) == 0 { bytes.removeLast() }
            if next(30) == 0 { bytes += Array("\"open".utf8) }
            for skipsBlankLines in [false, true] {
                try Self.check(bytes, path: path, bufferSize: bufferSize, skipsBlankLines: skipsBlankLines,
                               seed: seed, "seed \(seed) (TestSeed \(TestSeed.value)), buffer \(bufferSize), skips \(skipsBlankLines)")
            }
        }
    }
}
