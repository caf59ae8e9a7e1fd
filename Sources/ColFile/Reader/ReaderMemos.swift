/// What a ``ColFileReader`` remembers between calls: the string columns whose offsets were checked,
/// the decoded copies of its cold columns and the cache fallbacks it met.
///
/// A reader makes this on the first call that needs it, so that an attach that reads a plain
/// column allocates no lock and destroys none (BENCHMARKS.md, "Attach: the user-space work at
/// open").
final class ReaderMemos: Sendable {
    /// String and binary columns whose offsets were checked (by column index).
    let checkedOffsets = Locked<Set<Int>>([])
    /// Decoded copies of compressed columns (by column index), made or mapped once per process.
    let decodedColumns = Locked<[Int: MappedRegion]>([:])
    /// Cold columns decoded privately because the shared cache could not be used (``ColFileReader/cacheFallbacks``).
    let fallbacks = Locked<[CacheFallback]>([])
}
