/// The most bytes the entries of a shared decode cache take together (Specification.md §13.4).
///
/// A reader that has just written an entry, finding the folder's entries above the limit, removes
/// the least recently used others until they take at most ``trimmedShare`` of it (so the next
/// trim waits until a tenth of the limit is written again); the entry it wrote is kept even when
/// it alone is larger. The limit is ``ReaderOptions/cacheMaxBytes`` when given, else
/// `$COLFILE_CACHE_MAX_SIZE` (``environmentVariable``), else a tenth of the file system that
/// holds the folder.
public struct CacheSizeLimit: Sendable, Equatable {
    /// Where a limit came from.
    public enum Source: Sendable, Equatable {
        /// Given by the caller (``ReaderOptions/cacheMaxBytes``, `colfile cache trim --max-size`).
        case given
        /// `$COLFILE_CACHE_MAX_SIZE`.
        case environment
        /// A tenth of the folder's file system: the variable is not set, or (`ignored`) its value
        /// is not a size.
        case fileSystemShare(ignored: String?)
    }

    /// The limit in bytes.
    public var bytes: Int
    /// Where it came from.
    public var source: Source

    /// A limit of `bytes`, from `source`.
    public init(bytes: Int, source: Source) {
        self.bytes = bytes
        self.source = source
    }

    /// The variable that sets the limit: a number of bytes, or a number followed by K, M, G or T
    /// (powers of 1024, either case), e.g. `20G`.
    public static let environmentVariable = "COLFILE_CACHE_MAX_SIZE"
    /// The share of its file system a cache takes by default: one part in this many.
    public static let fileSystemShareDivisor = 10
    /// The share of the limit a reader's trim leaves the entries (`colfile cache trim` trims to
    /// the limit itself).
    public static let trimmedShare = 0.9

    /// The limit for the cache in `folder` (the default folder when nil): `given` when not nil,
    /// else the environment's, else a tenth of the folder's file system.
    ///
    /// - Returns: The limit; nil when none is given or set and the folder's file system cannot be
    ///   measured (the folder does not exist): the cache is then not trimmed.
    public static func forFolder(_ folder: String? = nil, given: Int? = nil) -> CacheSizeLimit? {
        if let given { return CacheSizeLimit(bytes: given, source: .given) }
        let text = Syscalls.environment(environmentVariable)
        if let text, let bytes = bytes(parsing: text) { return CacheSizeLimit(bytes: bytes, source: .environment) }
        guard let fileSystem = try? Syscalls.fileSystemBytes(holding: folder ?? DecodeCache.defaultFolder()) else {
            return nil
        }
        return CacheSizeLimit(bytes: fileSystem / fileSystemShareDivisor,
                              source: .fileSystemShare(ignored: text?.isEmpty == false ? text : nil))
    }

    /// The bytes `text` names: decimal digits, then nothing or one of K, M, G, T (either case) for
    /// KiB, MiB, GiB, TiB: `"1048576"`, `"512M"`, `"20g"`.
    ///
    /// - Returns: The bytes; nil for anything else (signs, spaces, fractions, other units) or a
    ///   number past `Int.max`.
    public static func bytes(parsing text: String) -> Int? {
        var digits = Substring(text)
        var scale = 1
        if let last = digits.last, let shift = unitShifts[last] {
            scale = 1 << shift
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    /// The units a size may end with, and the power of two each multiplies by.
    private static let unitShifts: [Character: Int] = [
        "K": 10, "k": 10, "M": 20, "m": 20, "G": 30, "g": 30, "T": 40, "t": 40,
    ]
}
