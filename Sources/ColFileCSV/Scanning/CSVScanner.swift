import ColFile
import SystemPackage

/// Splits CSV bytes (RFC 4180) into records, reading a regular file with `pread` in 1 MiB pieces
/// from offset 0, so several scanners can read the same descriptor one after another.
///
/// - A field whose first byte is `"` is quoted: inside it `""` is one quote, and the delimiter,
///   CR and LF are text. Text between the closing quote and the next delimiter or line end is an
///   error, and so is a file that ends inside quotes.
/// - A quote inside an unquoted field is text (`5'10"` reads as itself), as in most CSV readers.
/// - Records end at LF, CRLF or a lone CR outside quotes; a last record needs no line end.
/// - A UTF-8 byte-order mark at the start is skipped.
///
/// The scanner keeps the records read since ``removeRecords()``, one after another, so a caller
/// can read a block of records and then work through it column by column: memory is the read
/// buffer plus the records kept, and a record longer than ``maximumRecordBytes`` (usually a quote
/// that is never closed) is an error instead of a reason to read the rest of the file into memory.
///
/// ```swift
/// let scanner = CSVScanner(input: fd, delimiter: UInt8(ascii: ","))
/// while try scanner.nextRecords(4096, stoppingAt: 1 << 20) > 0 {
///     for field in 0..<scanner.fieldEnds.count {
///         use(scanner.text[scanner.fieldRange(field)], quoted: scanner.isFieldQuoted(field))
///     }
///     scanner.removeRecords()
/// }
/// ```
public final class CSVScanner {
    /// The longest record accepted, in bytes of its ``text`` (quoted fields with their quotes).
    public static let maximumRecordBytes = 256 << 20
    /// The most text the kept records may hold, in bytes: a field's end is kept in 31 bits
    /// (``fieldEnds``), so a caller reads at most this much before ``removeRecords()``.
    public static let maximumKeptBytes = (1 << 31) - 1

    /// Why the bytes are not CSV.
    public enum SyntaxError: Error, Sendable, Equatable {
        /// A quoted field is still open at the end of the file.
        case unclosedQuote
        /// A quoted field's closing quote is followed by `byte` instead of a delimiter or line end.
        case textAfterClosingQuote(UInt8)
        /// The record is longer than ``maximumRecordBytes``.
        case recordTooLong
        /// Reading the file failed.
        case readFailed(Errno)
    }

    private enum State {
        /// Before the first byte of a field.
        case fieldStart
        /// In an unquoted field.
        case unquoted
        /// In a quoted field.
        case quoted
        /// Just after a quote in a quoted field: an escaped quote or the field's end follows.
        case quoteInQuoted
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The text of the kept records' fields, each followed by one separator byte (the delimiter
    /// or line end that ended it); a quoted field keeps its opening and closing quote, and a
    /// doubled quote inside it is one. A record is then a verbatim copy of its line, copied at
    /// once rather than field by field, unless a quoted field holds a doubled quote. A field's
    /// text, without the quotes, is ``fieldRange(_:)``.
    public private(set) var text: [UInt8] = []
    /// Each field of the kept records, packed in 4 bytes: where it ends in ``text`` (at its
    /// separator, after the closing quote of a quoted field) shifted left by one, and in bit 0
    /// whether it was quoted. Field `i` starts one byte after field `i - 1` ends, the first at 0
    /// (at its opening quote when quoted; ``fieldRange(_:)``, ``isFieldQuoted(_:)``).
    ///
    /// One 4-byte entry a field, not an `Int` end and a `Bool` flag in two arrays: the importer
    /// reads a column's fields a record's width apart, one load each.
    public private(set) var fieldEnds: [UInt32] = []
    /// The index in ``fieldEnds`` of each kept record's first field.
    public private(set) var recordStarts: [Int] = []
    /// Whether a blank line (a record of one empty unquoted field) is skipped instead of kept.
    public var skipsBlankLines = false
    /// The index in ``fieldEnds`` of the first field of the record being read: the fields of
    /// the complete records end there (after an error, a partial record's fields may follow).
    public private(set) var recordFieldStart = 0
    /// Where the text of the record being read starts in ``text``.
    private var recordTextStart = 0
    /// The bytes of the file consumed so far.
    public private(set) var bytesConsumed = 0

    private let input: FileDescriptor
    private let delimiter: UInt8
    /// The read buffer; `pread` fills it from index 0 to ``end``.
    private var buffer: [UInt8]
    private var position = 0
    private var end = 0
    private var fileOffset: Int64 = 0
    private var state = State.fieldStart
    private var fieldIsQuoted = false
    private var skipsLineFeed = false
    private var isAtEnd = false
    /// ``text``'s and ``fieldEnds``' storage when ``reserveCapacity(fields:textBytes:)`` last
    /// allocated it: fresh pages, populated a buffer's worth ahead of the scan (``Prefault``).
    private var freshText = Prefault.Fresh()
    private var freshEnds = Prefault.Fresh()

    /// A scanner of `input` from its first byte, splitting fields at `delimiter` (an ASCII byte
    /// other than a quote, CR or LF).
    ///
    /// - Parameters:
    ///   - input: An open file, read with `pread` from offset 0 (its position is not used).
    ///   - delimiter: The field delimiter.
    ///   - bufferSize: The bytes read at a time.
    /// - Precondition: `delimiter` is ASCII and not `"`, CR or LF.
    public init(input: FileDescriptor, delimiter: UInt8, bufferSize: Int = 1 << 20) {
        precondition(delimiter < 0x80 && ![Self.quote, Self.lineFeed, Self.carriageReturn].contains(delimiter),
                     "the delimiter must be an ASCII byte other than a quote, CR or LF")
        self.input = input
        self.delimiter = delimiter
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// The number of fields in the last record.
    public var fieldCount: Int { fieldEnds.count - (recordStarts.last ?? 0) }

    /// Where field `index` of the kept records (counted over all of them) lies in ``text``,
    /// without the quotes of a quoted field.
    ///
    /// - Precondition: `index` is in `fieldEnds.indices`.
    public func fieldRange(_ index: Int) -> Range<Int> {
        Self.fieldRange(index, in: fieldEnds)
    }

    /// Whether field `index` of the kept records (counted over all of them) was quoted.
    ///
    /// - Precondition: `index` is in `fieldEnds.indices`.
    public func isFieldQuoted(_ index: Int) -> Bool {
        fieldEnds[index] & 1 != 0
    }

    /// Where field `index` lies in the text whose packed field ends are `ends` (``fieldEnds``),
    /// without the quotes of a quoted field.
    static func fieldRange(_ index: Int, in ends: [UInt32]) -> Range<Int> {
        let packed = ends[index]
        let quote = Int(packed & 1)
        return ((index == 0 ? 0 : end(ends[index - 1]) + 1) + quote)..<(end(packed) - quote)
    }

    /// The end in the text of a packed field end (``fieldEnds``).
    @inline(__always)
    static func end(_ packed: UInt32) -> Int {
        Int(packed >> 1)
    }

    /// The packed entry (``fieldEnds``) of a field that ends at `end` of the text.
    @inline(__always)
    private static func packedEnd(_ end: Int, quoted: Bool) -> UInt32 {
        UInt32(truncatingIfNeeded: end) << 1 | (quoted ? 1 : 0)
    }

    /// Forgets the kept records, keeping the memory for the next ones.
    public func removeRecords() {
        text.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        recordStarts.removeAll(keepingCapacity: true)
        recordFieldStart = 0
        recordTextStart = 0
    }

    /// Makes room for `fields` fields and `textBytes` bytes of text in the kept records, so
    /// reading a block of known bounds fills its arrays in place instead of growing them by
    /// doubling (each growth a copy, and a first touch of new pages). Pages not filled are not
    /// touched, so room reserved and not used costs no memory.
    ///
    /// Storage of ``populatedBytes`` or more allocated here is fresh: its pages are then
    /// populated ahead of the scan, a buffer's worth at a time, in one system call each instead
    /// of a page fault per page (``Prefault``; a block of wide records is some 12 MB of text
    /// and 8 MB of ends).
    public func reserveCapacity(fields: Int, textBytes: Int) {
        if text.capacity < textBytes {
            text.reserveCapacity(textBytes)
            if textBytes >= Self.populatedBytes {
                unsafe text.withUnsafeMutableBytes { unsafe freshText.note($0.baseAddress, used: $0.count) }
            }
        }
        if fieldEnds.capacity < fields {
            fieldEnds.reserveCapacity(fields)
            if fields * MemoryLayout<UInt32>.stride >= Self.populatedBytes {
                unsafe fieldEnds.withUnsafeMutableBytes { unsafe freshEnds.note($0.baseAddress, used: $0.count) }
            }
        }
    }

    /// The smallest storage reserved for a block that ``reserveCapacity(fields:textBytes:)``
    /// populates ahead of the scan: a narrow block's (about 1 MiB of text) is left to the
    /// faults, as the allocator often hands it memory a block before used (no faults then), and
    /// a last block may fill little of it.
    static let populatedBytes = 4 << 20
    /// The kept text from which ``populateAhead(textLimit:)`` reckons the ends a buffer will add
    /// from the ends a byte of text had so far.
    static let endsRatioBytes = 64 << 10

    /// Populates the pages of fresh ``text`` and ``fieldEnds`` storage (``reserveCapacity(fields:textBytes:)``)
    /// that a scan of the buffered bytes up to `textLimit` may write: as many bytes of text as
    /// are buffered, up to the limit (the record that passes it faults in its own last pages);
    /// and ends for them, one for every second byte (fields of one byte and a separator) until
    /// the kept text is ``endsRatioBytes`` long, then as many a byte as it has, a quarter more
    /// (so a block's last piece populates few ends it will not write). Denser fields, rare,
    /// fault in the rest.
    ///
    /// Audited unsafe scope: each array's storage holds `capacity` elements, and no more
    /// are populated.
    private func populateAhead(textLimit: Int) {
        let buffered = end - position
        if freshText.isNoted {
            let through = min(text.capacity, text.count + buffered, max(textLimit, text.count))
            unsafe text.withUnsafeMutableBytes { unsafe freshText.populate($0.baseAddress, through: through) }
        }
        if freshEnds.isNoted {
            let ahead = text.count < Self.endsRatioBytes ? buffered / 2
                : buffered * fieldEnds.count / text.count * 5 / 4 + Self.runFields
            let through = min(fieldEnds.capacity, fieldEnds.count + ahead) * MemoryLayout<UInt32>.stride
            unsafe fieldEnds.withUnsafeMutableBytes { unsafe freshEnds.populate($0.baseAddress, through: through) }
        }
    }

    /// Trades the kept records for the arrays given (whose contents the scanner then forgets),
    /// so the caller can keep a block of records while the scanner reuses the memory of an older one.
    public func exchangeRecords(_ text: inout [UInt8], _ fieldEnds: inout [UInt32]) {
        swap(&text, &self.text)
        swap(&fieldEnds, &self.fieldEnds)
        removeRecords()
    }

    /// Reads the next record, appending it to the records kept.
    ///
    /// - Returns: false at the end of the file (no record).
    /// - Throws: ``SyntaxError``.
    public func next() throws(SyntaxError) -> Bool {
        try nextRecords(1, stoppingAt: .max) > 0
    }

    /// Reads up to `count` more records, appending them to ``text`` and ``fieldEnds`` after the
    /// records kept (and their starts to ``recordStarts``); stops early after the record that
    /// makes ``text`` `textLimit` bytes long or longer. Reading many records in one call keeps
    /// the scanner's state in local variables across them.
    ///
    /// - Returns: the number of records read, 0 at the end of the file.
    /// - Throws: ``SyntaxError``; the records completed before the problem are kept.
    /// - Precondition: the kept records' text stays within ``maximumKeptBytes`` (a caller that
    ///   keeps records calls ``removeRecords()`` before they hold 2 GiB).
    public func nextRecords(_ count: Int, stoppingAt textLimit: Int) throws(SyntaxError) -> Int {
        let kept = recordStarts.count
        while recordStarts.count - kept < count {
            if position == end {
                guard !isAtEnd, try refill() else {
                    try finishAtEndOfFile()
                    break
                }
            }
            populateAhead(textLimit: textLimit)
            // A scan adds at most the bytes it consumes to the text.
            precondition(text.count + (end - position) < Self.maximumKeptBytes,
                         "the kept records' text is at most 2 GiB: call removeRecords()")
            if try scanBuffer(until: kept + count, textLimit: textLimit) { break }
            guard text.count - recordTextStart <= Self.maximumRecordBytes else { throw .recordTooLong }
        }
        return recordStarts.count - kept
    }

    /// Completes the record the end of the file ends, if one was begun.
    private func finishAtEndOfFile() throws(SyntaxError) {
        switch state {
        case .fieldStart where fieldEnds.count == recordFieldStart:
            return
        case .quoted:
            throw .unclosedQuote
        case .fieldStart, .unquoted, .quoteInQuoted:
            // The last record has no line end: its last field gets a separator all the same.
            fieldEnds.append(Self.packedEnd(text.count, quoted: fieldIsQuoted))
            text.append(Self.lineFeed)
            state = .fieldStart
            fieldIsQuoted = false
            Self.completeRecord(&recordStarts, text: &text, fieldEnds: &fieldEnds,
                                fieldStart: &recordFieldStart, skipsBlankLines: skipsBlankLines)
            recordTextStart = text.count
        }
    }

    /// Keeps the record just completed, its text all in `text` (the index of its first field
    /// goes to `starts`), or forgets it when it is a blank line (one empty unquoted field) and
    /// `skipsBlankLines`; the next record starts after it.
    private static func completeRecord(_ starts: inout [Int], text: inout [UInt8], fieldEnds: inout [UInt32],
                                       fieldStart: inout Int, skipsBlankLines: Bool) {
        if skipsBlankLines, isBlank(fieldEnds, from: fieldStart) {
            fieldEnds.removeLast()
            text.removeLast()  // its separator
        } else {
            starts.append(fieldStart)
        }
        fieldStart = fieldEnds.count
    }

    /// Whether the record whose fields start at `fieldStart` of `fieldEnds` is a blank line:
    /// one empty unquoted field.
    @inline(__always)
    private static func isBlank(_ fieldEnds: [UInt32], from fieldStart: Int) -> Bool {
        guard fieldEnds.count - fieldStart == 1 else { return false }
        let firstFieldStart = fieldStart == 0 ? 0 : end(fieldEnds[fieldStart - 1]) + 1
        // An empty unquoted field's entry is its start shifted left by one, bit 0 clear.
        return fieldEnds[fieldStart] == packedEnd(firstFieldStart, quoted: false)
    }

    /// Reads the next piece of the file; false at its end.
    private func refill() throws(SyntaxError) -> Bool {
        let count: Int
        do {
            count = try unsafe buffer.withUnsafeMutableBytes {
                try unsafe input.read(fromAbsoluteOffset: fileOffset, into: $0, retryOnInterrupt: true)
            }
        } catch let errno as Errno {
            throw .readFailed(errno)
        } catch {
            preconditionFailure("FileDescriptor.read throws only Errno")
        }
        let isFirst = fileOffset == 0
        fileOffset += Int64(count)
        position = 0
        end = count
        isAtEnd = count == 0
        if isFirst, count >= 3, buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
            position = 3
            bytesConsumed = 3
        }
        return count > 0
    }

    /// Consumes buffered bytes until ``recordStarts`` holds `recordLimit` records or ``text`` is
    /// `textLimit` bytes long at a record's end (true), or the buffer is used up (false).
    ///
    /// Fields and their separators are not copied one by one, nor records: `runStart` marks
    /// where the bytes not yet copied begin, and they are copied verbatim at a doubled quote in a
    /// quoted field (whose second quote is left out), before the LF of a CRLF (left out), at a
    /// skipped blank line, and at the end of the buffer or of the call.
    ///
    /// Works on local copies of the records and the state, written back once, so the loop makes
    /// no dynamic exclusivity checks. Audited unsafe scope: every index read is in
    /// `position..<end`, and `end <= buffer.count` (``refill()`` sets it to the count `pread`
    /// returned for it).
    private func scanBuffer(until recordLimit: Int, textLimit: Int) throws(SyntaxError) -> Bool {
        try unsafe buffer.withUnsafeBufferPointer { (bytes) throws(SyntaxError) -> Bool in
            try unsafe scan(bytes, until: recordLimit, textLimit: textLimit)
        }
    }

    /// ``scanBuffer(until:textLimit:)`` over the read buffer's bytes.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, until recordLimit: Int, textLimit: Int)
        throws(SyntaxError) -> Bool {
        var text: [UInt8] = []
        var fieldEnds: [UInt32] = []
        var recordStarts: [Int] = []
        swap(&text, &self.text)
        swap(&fieldEnds, &self.fieldEnds)
        swap(&recordStarts, &self.recordStarts)
        var state = self.state
        var fieldIsQuoted = self.fieldIsQuoted
        var skipsLineFeed = self.skipsLineFeed
        var recordFieldStart = self.recordFieldStart
        var recordTextStart = self.recordTextStart
        var index = position
        // The start of the bytes to copy verbatim.
        var runStart = index
        var limitReached = false
        let end = self.end
        let delimiter = self.delimiter
        let delimiters = ByteSearch.broadcast(delimiter)
        let quotes = ByteSearch.broadcast(Self.quote)
        let skipsBlankLines = self.skipsBlankLines
        func copyRun() {
            if runStart < index { unsafe text.append(contentsOf: bytes.extracting(runStart..<index)) }
            runStart = index
        }
        defer {
            copyRun()
            swap(&text, &self.text)
            swap(&fieldEnds, &self.fieldEnds)
            swap(&recordStarts, &self.recordStarts)
            self.state = state
            self.fieldIsQuoted = fieldIsQuoted
            self.skipsLineFeed = skipsLineFeed
            self.recordFieldStart = recordFieldStart
            self.recordTextStart = recordTextStart
            bytesConsumed += index - position
            position = index
        }
        /// Ends the record whose last separator was just consumed; true when the limits are reached.
        ///
        /// The record's bytes stay in the run, copied with the records after it (at the end of
        /// the buffer or of the call): a copy per record was an `append(contentsOf:)` of about
        /// 70 bytes for each record of the trades CSV. A blank line that is skipped ends the run
        /// before its separator (the run's last byte), which the text leaves out.
        func endRecord(_ lineEnd: UInt8) -> Bool {
            state = .fieldStart
            fieldIsQuoted = false
            skipsLineFeed = lineEnd == Self.carriageReturn
            if skipsBlankLines, Self.isBlank(fieldEnds, from: recordFieldStart) {
                index -= 1
                copyRun()
                index += 1
                runStart = index
                fieldEnds.removeLast()
            } else {
                recordStarts.append(recordFieldStart)
            }
            recordFieldStart = fieldEnds.count
            // The text's length once the run is copied.
            recordTextStart = text.count + (index - runStart)
            return recordStarts.count >= recordLimit || recordTextStart >= textLimit
        }
        scanning: while index < end {
            if skipsLineFeed {
                skipsLineFeed = false
                if unsafe bytes[index] == Self.lineFeed {
                    // The LF of a CRLF is left out of the text: the run ends before it.
                    copyRun()
                    index += 1
                    runStart = index
                    continue scanning
                }
            }
            if state != .quoteInQuoted, index + 64 <= end {
                // The blocks (``CSVBlockScan``), until a byte they leave to the state machine.
                var cursor = CSVBlockScan.Cursor(index: index, fieldStart: Int.min, quoted: state == .quoted)
                if state == .fieldStart {
                    cursor.fieldStart = index
                    if unsafe bytes[index] == Self.quote {
                        // The opening quote stays in the run.
                        cursor.quoted = true
                        cursor.index += 1
                    }
                }
                // The separators stay in the run: a field ends where it will be copied.
                var records = CSVBlockScan.Records(endOffset: text.count - runStart, fieldBase: fieldEnds.count,
                                                   recordFieldStart: recordFieldStart, recordTextStart: recordTextStart,
                                                   recordsToLimit: recordLimit - recordStarts.count,
                                                   textLimit: textLimit, skipsBlankLines: skipsBlankLines)
                var stop = CSVBlockScan.Stop.bufferEnd
                recordStarts.append(addingCapacity: min(records.recordsToLimit, Self.runRecords)) { starts in
                    fieldEnds.append(addingCapacity: Self.runFields) { ends in
                        unsafe starts.withUnsafeMutableBufferPointer { startBuffer, startCount in
                            unsafe ends.withUnsafeMutableBufferPointer { endBuffer, endCount in
                                stop = unsafe CSVBlockScan.run(bytes, end: end, delimiter: delimiter, cursor: &cursor,
                                                               ends: endBuffer, endCount: &endCount,
                                                               starts: startBuffer, startCount: &startCount,
                                                               records: &records)
                            }
                        }
                    }
                }
                index = cursor.index
                recordFieldStart = records.recordFieldStart
                recordTextStart = records.recordTextStart
                fieldIsQuoted = cursor.quoted
                let fieldStarts = index == cursor.fieldStart
                switch stop {
                case .limitReached:
                    state = .fieldStart
                    limitReached = true
                    break scanning
                case .slow:
                    // One round of the state machine for the byte at `index`.
                    state = cursor.quoted ? .quoteInQuoted : fieldStarts ? .fieldStart : .unquoted
                    guard index < end else { break scanning }
                case .full, .bufferEnd:
                    state = cursor.quoted ? .quoted : fieldStarts ? .fieldStart : .unquoted
                    continue scanning
                }
            }
            switch state {
            case .fieldStart:
                if unsafe bytes[index] == Self.quote {
                    // The opening quote stays in the run.
                    fieldIsQuoted = true
                    state = .quoted
                    index += 1
                    continue scanning
                }
                state = .unquoted
                fallthrough
            case .unquoted:
                // A field the blocks left to the state machine (one in the buffer's last 63 bytes,
                // or one that ends at a CR or is a blank line), found eight bytes at a time.
                index = unsafe ByteSearch.firstSeparator(in: bytes, from: index, to: end, delimiter: delimiters)
                guard index < end else { break scanning }
                let byte = unsafe bytes[index]
                // The separator stays in the run: the field ends where it will be copied.
                fieldEnds.append(Self.packedEnd(text.count + (index - runStart), quoted: false))
                index += 1
                if byte == delimiter {
                    state = .fieldStart
                } else if endRecord(byte) {
                    limitReached = true
                    break scanning
                }
            case .quoted:
                // The field's text stays in the run.
                index = unsafe ByteSearch.first(quotes, in: bytes, from: index, to: end)
                guard index < end else { break scanning }
                index += 1
                state = .quoteInQuoted
                // The usual end of a quoted field, a separator after the quote, taken here rather
                // than in another round (what `.quoteInQuoted` does with it).
                guard index < end else { break scanning }
                let byte = unsafe bytes[index]
                if byte == delimiter {
                    fieldEnds.append(Self.packedEnd(text.count + (index - runStart), quoted: true))
                    index += 1
                    fieldIsQuoted = false
                    state = .fieldStart
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    fieldEnds.append(Self.packedEnd(text.count + (index - runStart), quoted: true))
                    index += 1
                    if endRecord(byte) {
                        limitReached = true
                        break scanning
                    }
                }
            case .quoteInQuoted:
                let byte = unsafe bytes[index]
                index += 1
                if byte == Self.quote {
                    // A doubled quote: the run ends after its first quote, the next starts after it.
                    index -= 1
                    copyRun()
                    index += 1
                    runStart = index
                    state = .quoted
                } else if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn {
                    // The separator stays in the run, after the closing quote.
                    fieldEnds.append(Self.packedEnd(text.count + (index - 1 - runStart), quoted: true))
                    if byte == delimiter {
                        fieldIsQuoted = false
                        state = .fieldStart
                    } else if endRecord(byte) {
                        limitReached = true
                        break scanning
                    }
                } else {
                    throw .textAfterClosingQuote(byte)
                }
            }
        }
        return limitReached
    }

    /// The room the scanner adds to ``fieldEnds`` for a run of ``CSVBlockScan`` (which stops when
    /// fewer than 64 entries are free): a caller that reserves this many entries beyond a block's
    /// fields keeps the array from growing.
    static let runFields = 256
    /// The most records a run of ``CSVBlockScan`` adds (the room the scanner adds to ``recordStarts`` for it).
    static let runRecords = 256
}
