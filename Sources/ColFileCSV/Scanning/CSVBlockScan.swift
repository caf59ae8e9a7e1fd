import CColFile

/// The scanner's fast path: the fields and records of a buffer found 64 bytes at a time from the
/// bit masks of a block (``colfile_csv_block_masks``: delimiters, line ends, quotes), staying in
/// one loop across field ends, record ends and quoted fields without a doubled quote. The rare
/// cases go back to ``CSVScanner``'s state machine (``Stop/slow``): a CR, a blank line that is
/// skipped, a closing quote followed by another quote (a doubled quote), a CR or any other byte
/// (an error), and the buffer's last 63 bytes.
///
/// Before, the scanner left its word-at-a-time run at every record end and every quoted field,
/// and went round its state machine and a new output span for each (trades: about 62
/// instructions a field, 9.8 a byte).
enum CSVBlockScan {
    /// Why ``run(_:end:delimiter:cursor:ends:endCount:starts:startCount:records:)`` stopped.
    enum Stop {
        /// A record ended that made the records `recordLimit` long or the text `textLimit`
        /// long: the next field starts at the cursor's `index`.
        case limitReached
        /// At a byte the state machine handles: in an unquoted field, `index` is at a CR or at
        /// the LF of a blank line that is skipped; in a quoted field, `index` is just after a
        /// quote that is not followed by a delimiter or LF (or at the buffer's end).
        case slow
        /// The output has fewer than 64 free field entries, or no free record entry.
        case full
        /// Fewer than 64 bytes are left from the cursor's block on.
        case bufferEnd
    }

    /// Where a scan stands, kept by the caller between runs.
    ///
    /// In an unquoted field whose first byte is at `fieldStart` (`fieldStart == index`: the field
    /// starts at `index`, whose byte is not a quote; `fieldStart` below `index`: at least one of
    /// its bytes was read), or, when `quoted`, in a quoted field after its opening quote and
    /// before its closing one.
    struct Cursor {
        var index: Int
        var fieldStart: Int
        var quoted: Bool
    }

    /// What a run needs of the records being read.
    struct Records {
        /// The text's length minus the run's start: a field's end in the text is this plus its
        /// separator's index in the buffer (the scanner copies the bytes in runs).
        var endOffset: Int
        /// The index in ``CSVScanner/fieldEnds`` of the output's first entry.
        var fieldBase: Int
        /// The index in ``CSVScanner/fieldEnds`` of the first field of the record being read.
        var recordFieldStart: Int
        /// The text's length at the last record's end.
        var recordTextStart: Int
        /// The records the output may take before the record limit is reached.
        var recordsToLimit: Int
        /// The text's length that stops the scan at a record's end.
        var textLimit: Int
        /// Whether a blank line (one empty unquoted field) is left to the state machine.
        var skipsBlankLines: Bool
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")

    /// The packed entry (``CSVScanner/fieldEnds``) of a field that ends at `end` of the text.
    @inline(__always)
    private static func packedEnd(_ end: Int, quoted: Bool) -> UInt32 {
        UInt32(truncatingIfNeeded: end) << 1 | (quoted ? 1 : 0)
    }

    /// Adds the fields and records of `bytes` from the cursor on, one 64-byte block after
    /// another, until a ``Stop``: each field's entry to `ends` from `endCount`, each record's
    /// first field to `starts` from `startCount`.
    ///
    /// Audited unsafe scope: every block read lies in `index..<end` (`base + 64 <= end`), a byte
    /// is read at an index below `end` only, and the caller guarantees `end <= bytes.count`; a
    /// field entry is written only while fewer than 64 are written since a check that 64 were
    /// free (a block holds at most 64 separators), a record entry only below `starts.count`.
    @inline(__always)
    static func run(_ bytes: UnsafeBufferPointer<UInt8>, end: Int, delimiter: UInt8, cursor: inout Cursor,
                    ends: UnsafeMutableBufferPointer<UInt32>, endCount: inout Int,
                    starts: UnsafeMutableBufferPointer<Int>, startCount: inout Int, records: inout Records) -> Stop {
        let source = unsafe bytes.baseAddress.unsafelyUnwrapped
        let output = unsafe ends.baseAddress.unsafelyUnwrapped
        let recordOutput = unsafe starts.baseAddress.unsafelyUnwrapped
        // Local copies, kept in registers (the caller's are captured by its closures).
        var index = cursor.index
        var fieldStart = cursor.fieldStart
        var quoted = cursor.quoted
        var count = endCount
        var recordCount = startCount
        var recordFieldStart = records.recordFieldStart
        var recordTextStart = records.recordTextStart
        let endOffset = records.endOffset
        let fieldBase = records.fieldBase
        let textLimit = records.textLimit
        let recordCapacity = starts.count
        let skipsBlankLines = records.skipsBlankLines
        defer {
            cursor = Cursor(index: index, fieldStart: fieldStart, quoted: quoted)
            endCount = count
            startCount = recordCount
            records.recordFieldStart = recordFieldStart
            records.recordTextStart = recordTextStart
        }
        /// Ends the record at the LF just consumed: nil to go on, else why the run stops.
        @inline(__always)
        func endRecord() -> Stop? {
            unsafe recordOutput[recordCount] = recordFieldStart
            recordCount &+= 1
            recordFieldStart = fieldBase &+ count
            recordTextStart = endOffset &+ index
            if recordTextStart >= textLimit || recordCount == records.recordsToLimit { return .limitReached }
            return recordCount == recordCapacity ? .full : nil
        }
        var base = index
        while base &+ 64 <= end {
            guard count <= ends.count &- 64 else { return .full }
            let masks = unsafe colfile_csv_block_masks(source + base, delimiter)
            let separators = masks.delimiters | masks.lineEnds
            // Bit i set: separator i is a line end, or the byte after it may be a quote (a quote
            // after it in the block, or the next block's first byte).
            let special = masks.lineEnds | (masks.quotes & separators << 1) >> 1 | 1 << 63
            blocks: while true {
                // The block's bytes before `index` are done (all of them when `index` is past it).
                let done = index &- base
                if quoted {
                    let pending = masks.quotes & (~0 << done)
                    guard pending != 0 else { break blocks }
                    // The closing quote, unless a doubled quote; the byte after it decides.
                    let next = base &+ pending.trailingZeroBitCount &+ 1
                    index = next
                    guard next < end else { return .slow }
                    let byte = unsafe source[next]
                    guard byte == delimiter || byte == lineFeed else { return .slow }
                    unsafe output[count] = packedEnd(endOffset &+ next, quoted: true)
                    count &+= 1
                    quoted = false
                    index = next &+ 1
                    if byte == lineFeed, let stop = endRecord() {
                        fieldStart = index
                        return stop
                    }
                } else {
                    let pending = separators & (~0 << done)
                    guard pending != 0 else { break blocks }
                    // The delimiters before the first special separator, one after another.
                    let first = pending & special
                    var plain = pending & ~special & ((first & (0 &- first)) &- 1)
                    if plain != 0 {
                        let blockOffset = endOffset &+ base
                        var last = 0
                        repeat {
                            last = plain.trailingZeroBitCount
                            unsafe output[count] = packedEnd(blockOffset &+ last, quoted: false)
                            count &+= 1
                            plain &= plain &- 1
                        } while plain != 0
                        index = base &+ last &+ 1
                        fieldStart = index
                    }
                    guard first != 0 else { break blocks }
                    let separator = base &+ first.trailingZeroBitCount
                    let byte = unsafe source[separator]
                    if byte == delimiter {
                        unsafe output[count] = packedEnd(endOffset &+ separator, quoted: false)
                        count &+= 1
                        index = separator &+ 1
                    } else {
                        // A CR, or the LF of a blank line (one empty unquoted field) that is skipped.
                        guard byte == lineFeed,
                              !(skipsBlankLines && separator == fieldStart && fieldBase &+ count == recordFieldStart)
                        else {
                            index = separator
                            return .slow
                        }
                        unsafe output[count] = packedEnd(endOffset &+ separator, quoted: false)
                        count &+= 1
                        index = separator &+ 1
                        if let stop = endRecord() {
                            fieldStart = index
                            return stop
                        }
                    }
                }
                // A field starts at `index`; quoted when its first byte is a quote (kept in the run).
                fieldStart = index
                if index < end, unsafe source[index] == quote {
                    quoted = true
                    index &+= 1
                }
            }
            base &+= 64
            if index < base { index = base }
        }
        return .bufferEnd
    }
}
