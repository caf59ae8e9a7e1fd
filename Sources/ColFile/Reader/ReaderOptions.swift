/// How a ``ColFileReader`` treats compressed (cold) columns (Specification.md §13).
public struct ReaderOptions: Sendable {
    /// Where the decoded bytes of a cold column live.
    public enum ColdColumnPolicy: Sendable, Equatable {
        /// Decode once per machine into a cache file that every process maps shared (the default).
        /// Falls back to private memory when the cache folder cannot be used safely or an entry
        /// cannot be written (``CacheFallback``).
        case sharedCache
        /// Decode into this process's own memory; nothing is written to disk.
        case privateMemory
        /// Never decode silently: asking a view for a cold column's values throws
        /// ``ColFileError/Code/wouldDecode`` ("no silent copy"). Explicit chunk-by-chunk reads
        /// through ``ColFileReader/chunkedColumn(_:)`` still decode the chunks they ask for.
        case refuse
    }

    /// Where decoded cold columns live.
    public var coldColumns: ColdColumnPolicy
    /// The folder of the shared decode cache; nil for the default (`$COLFILE_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/colfile`, else `~/.cache/colfile`: disk-backed, see Specification.md §13.4).
    public var cacheFolder: String?
    /// The most bytes the shared cache's entries take together (``CacheSizeLimit``): after
    /// writing an entry, a reader removes the least recently used others until they fit. Nil for
    /// `$COLFILE_CACHE_MAX_SIZE`, else a tenth of the file system that holds the cache folder.
    public var cacheMaxBytes: Int?
    /// The most decoded bytes one column may have; a file declaring more is refused with
    /// ``ColFileError/Code/decodeLimitExceeded``. Defaults to the machine's physical memory.
    public var maxDecodedBytes: UInt64
    /// Threads used to decode a whole column; defaults to the number of cores.
    public var decodeThreads: Int
    /// Whether decoding checks each chunk's CRC-32 (Specification.md §13.3). Off by default: zlib
    /// checks each chunk's own Adler-32 as it decodes, and the CRC-32 adds a noticeable share of
    /// the decode time (BENCHMARKS.md); ``ColFileReader/verify()`` always checks it.
    public var checksChunkChecksums: Bool
    /// A system call failure to inject into writing cache entries (tests of ``CacheFallback``).
    package var injectedCacheFault: InjectedFault?

    /// Options with the given choices; every argument has the default described on its property.
    public init(coldColumns: ColdColumnPolicy = .sharedCache, cacheFolder: String? = nil, cacheMaxBytes: Int? = nil,
                maxDecodedBytes: UInt64? = nil, decodeThreads: Int? = nil, checksChunkChecksums: Bool = false) {
        self.coldColumns = coldColumns
        self.cacheFolder = cacheFolder
        self.cacheMaxBytes = cacheMaxBytes
        self.maxDecodedBytes = maxDecodedBytes ?? Machine.physicalMemory
        self.decodeThreads = max(1, decodeThreads ?? Machine.cores)
        self.checksChunkChecksums = checksChunkChecksums
    }
}

/// Options given to ``ColFileReader/open(_:options:)``, held by reference: a reader opened with the
/// defaults holds nil, a null pointer. A `ReaderOptions?` held by value was copied and destroyed
/// through the standard library's generic `Optional` witnesses on every attach (BENCHMARKS.md,
/// "Attach: the user-space work at open").
final class ChosenReaderOptions: Sendable {
    /// The options.
    let options: ReaderOptions

    /// Holds `options`.
    init(_ options: ReaderOptions) {
        self.options = options
    }
}
