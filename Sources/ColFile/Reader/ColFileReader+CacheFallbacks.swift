extension ColFileReader {
    /// The cold columns this reader decoded into private memory because the shared decode cache
    /// could not be used (see ``CacheFallback``), in the order they were read; empty while every
    /// cold column came from the cache (or the policy is not ``ReaderOptions/ColdColumnPolicy/sharedCache``).
    public var cacheFallbacks: [CacheFallback] {
        memosIfMade?.fallbacks.withLock { $0 } ?? []
    }

    /// Calls `observer` for every cache fallback of every reader of this process from now on, on
    /// the thread that reads the column, before the read returns (the `colfile` tool prints the
    /// first one on stderr). A later call replaces the observer; nil removes it.
    ///
    /// - Parameter observer: Called once per fallback; it must not read through the same reader.
    public static func observeCacheFallbacks(_ observer: (@Sendable (CacheFallback) -> Void)?) {
        fallbackObserver.withLock { $0 = observer }
    }

    /// Records `fallback` for this reader and tells the process's observer.
    func recordCacheFallback(_ fallback: CacheFallback) {
        memos.fallbacks.withLock { $0.append(fallback) }
        Self.fallbackObserver.withLock { $0 }?(fallback)
    }

    /// The process's observer of cache fallbacks.
    private static let fallbackObserver = Locked<(@Sendable (CacheFallback) -> Void)?>(nil)
}
