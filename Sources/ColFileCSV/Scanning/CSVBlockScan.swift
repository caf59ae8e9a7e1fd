import CColFile

/// The scanner's fast path: the fields and records of a buffer found 64 bytes at a time from
/// two bit masks a block (``colfile_csv_block_masks``: separators, quotes), staying in one loop
/// across field ends, record ends and quoted fields without a doubled quote. The rare cases go
/// back to ``CSVScanner``'s state machine (``Stop/slow``): a CR, a blank line that is skipped, a
/// closing quote followed by another quote (a doubled quote), a CR or any other byte (an error),
/// and the buffer's last 63 bytes.
///
/// Before, the scanner left its word-at-a-time run at every record end and every quoted field,
/// and went round its state machine and a new output span for each (trades: about 62
/// instructions a field, 9.8 a byte).
enum CSVBlockScan {
    /// Why ``run(_:index:fieldStart:quoted:end:delimiter:endOffset:ends:fieldBase:recordStarts:recordFieldStart:recordTextStart:recordLimit:textLimit:skipsBlankLines:)`` stopped.
    enum Stop {
        /// A record ended that made the records `recordLimit` or the text `textLimit` long: the
        /// next field starts at `index`.
        case limitReached
        /// At a byte the state machine handles: in an unquoted field, `index` is at a CR or at
        /// the LF of a blank line that is skipped; in a quoted field, `index` is just after a
        /// quote that is not followed by a delimiter or LF (or at the buffer's end).
        case slow
        /// The output span has fewer than 64 free entries.
        case full
        /// Fewer than 64 bytes are left from `index`'s block on.
        case bufferEnd
    }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed = UInt8(ascii: "\n")

    /// The packed entry (``CSVScanner/fieldEnds``) of a field that ends at `end` of the text.
    @inline(__always)
    private static func packedEnd(_ end: Int, quoted: Bool) -> UInt32 {
        UInt32(truncatingIfNeeded: end) << 1 | (quoted ? 1 : 0)
    }

    /// Adds the fields and records of `bytes` from `index`, one 64-byte block after another,
    /// until a ``Stop``.
    ///
    /// On entry and on return, the scan is in an unquoted field whose first byte is at
    /// `fieldStart` (`fieldStart == index`: the field starts at `index`, whose byte is not a
    /// quote; a `fieldStart` below `index`: at least one byte of it was read), or, when `quoted`,
    /// in a quoted field after its opening quote and before its closing one. A field's end in the
    /// text is `endOffset` plus its separator's index (the scanner copies the bytes in runs); its
    /// entry goes to `ends`, the first of them entry `fieldBase` of the scanner's ``CSVScanner/fieldEnds``.
    /// A record's end appends `recordFieldStart` to `recordStarts`, and sets it and
    /// `recordTextStart` (the text's length there) for the next record.
    ///
    /// Audited unsafe scope: every block read lies in `index..<end` (`base + 64 <= end`), a byte
    /// is read at an index below `end` only, and the caller guarantees `end <= bytes.count`.
    @inline(__always)
    static func run(_ bytes: UnsafeBufferPointer<UInt8>, index: inout Int, fieldStart: inout Int, quoted: inout Bool,
                    end: Int, delimiter: UInt8, endOffset: Int, ends: inout OutputSpan<UInt32>, fieldBase: Int,
                    recordStarts: inout [Int], recordFieldStart: inout Int, recordTextStart: inout Int,
                    recordLimit: Int, textLimit: Int, skipsBlankLines: Bool) -> Stop {
        let start = unsafe bytes.baseAddress.unsafelyUnwrapped
        var base = index
        while base + 64 <= end {
            guard ends.freeCapacity >= 64 else { return .full }
            let masks = unsafe colfile_csv_block_masks(start + base, delimiter)
            blocks: while true {
                // The block's bytes before `index` are done (all of them when `index` is past it).
                let done = index - base
                if quoted {
                    let pending = masks.quotes & (~0 << done)
                    guard pending != 0 else { break blocks }
                    // The closing quote, unless a doubled quote; the byte after it decides.
                    let next = base + pending.trailingZeroBitCount + 1
                    index = next
                    guard next < end else { return .slow }
                    let byte = unsafe bytes[next]
                    guard byte == delimiter || byte == lineFeed else { return .slow }
                    ends.append(packedEnd(endOffset + next, quoted: true))
                    quoted = false
                    index = next + 1
                    if byte == lineFeed {
                        recordStarts.append(recordFieldStart)
                        recordFieldStart = fieldBase + ends.count
                        recordTextStart = endOffset + index
                        if recordStarts.count >= recordLimit || recordTextStart >= textLimit { return .limitReached }
                    }
                    // A field starts at `index`; quoted when its first byte is a quote (kept in the run).
                    fieldStart = index
                    if index < end, unsafe bytes[index] == quote {
                        quoted = true
                        index += 1
                    }
                    continue blocks
                }
                var pending = masks.separators & (~0 << done)
                guard pending != 0 else { break blocks }
                // Bit i set: the byte after separator i may be a quote, so a quoted field's first
                // byte (a quote after a separator in the block, or the next block's first byte).
                let quoteMayFollow = (masks.quotes & masks.separators << 1) >> 1 | 1 << 63
                repeat {
                    let bit = pending & (0 &- pending)
                    pending ^= bit
                    let separator = base + bit.trailingZeroBitCount
                    let byte = unsafe bytes[separator]
                    if byte == delimiter {
                        ends.append(packedEnd(endOffset + separator, quoted: false))
                        index = separator + 1
                    } else {
                        // A CR, or the LF of a blank line (one empty unquoted field) that is skipped.
                        guard byte == lineFeed,
                              !(skipsBlankLines && separator == fieldStart && fieldBase + ends.count == recordFieldStart)
                        else {
                            index = separator
                            return .slow
                        }
                        ends.append(packedEnd(endOffset + separator, quoted: false))
                        index = separator + 1
                        recordStarts.append(recordFieldStart)
                        recordFieldStart = fieldBase + ends.count
                        recordTextStart = endOffset + index
                        if recordStarts.count >= recordLimit || recordTextStart >= textLimit { return .limitReached }
                    }
                    fieldStart = index
                    if quoteMayFollow & bit != 0, index < end, unsafe bytes[index] == quote {
                        // A quoted field: its opening quote stays in the run.
                        quoted = true
                        index += 1
                        continue blocks
                    }
                } while pending != 0
                break blocks
            }
            base += 64
            if index < base { index = base }
        }
        return .bufferEnd
    }
}
