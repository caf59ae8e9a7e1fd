/// Numbers fixed by the draft layout (Specification.md §15).
enum DraftConstants {
    /// §15.2: the 8 bytes a draft starts with, `\x89COD\r\n\x1a\n` ("colfile draft"), which
    /// differ from a colfile file's magic in their fourth byte.
    static let magic: [UInt8] = [0x89, 0x43, 0x4F, 0x44, 0x0D, 0x0A, 0x1A, 0x0A]
    /// §15.2: the major version of the draft layout this library reads and writes.
    static let majorVersion: UInt16 = 1
    /// §15.2: the minor version of the draft layout this library writes.
    static let minorVersion: UInt16 = 0
    /// §15.3: ranges hold a multiple of this many rows, so no byte of a bitmap is shared by two ranges.
    static let rowsPerRangeMultiple = 64
    /// §15.2: most rows in a draft (2^53), so that every offset and length fits an `Int`.
    static let maxRows = 1 << 53
    /// §15.3: the default range: 65,536 rows (512 KiB of Float64 values).
    static let defaultRowsPerRange = 65_536
    /// §15.4: the first byte offset of the locks; far past any file's end, so they never meet data.
    static let lockBase: Int64 = 1 << 62
    /// §15.4: writers hold this byte shared, a sealer exclusively.
    static let sealLockByte = lockBase
    /// §15.4: held exclusively while the claim table's counter and states change.
    static let claimLockByte = lockBase + 1
    /// §15.4: range `i`'s owner holds byte `rangeLockBase + i` exclusively.
    static let rangeLockBase = lockBase + 4096
}

/// The state word of a draft's header (Specification.md §15.5).
enum DraftState: UInt32, Sendable {
    /// Workers may open and fill it.
    case open = 1
    /// A seal began and did not finish (the sealer holds the seal lock, or it died).
    case sealing = 2
}

/// The state of one range of a draft's claim table (Specification.md §15.3).
enum RangeState: UInt32, Sendable {
    /// Never claimed.
    case free = 0
    /// Claimed; its owner holds the range's lock while it lives.
    case claimed = 1
    /// Its owner finished it.
    case done = 2
}
