/// Transparent huge pages for the large buffers an import fills once (a block of a wide CSV,
/// the column table's pool, the directory): `madvise(MADV_HUGEPAGE)` on the whole 2 MiB pages
/// inside them.
///
/// A buffer's pages are first touched when it is filled; with 4 KiB pages that is a page fault
/// per 4 KiB. An import of 50,000 columns × 40 rows touched about 120 MB of fresh buffers, some
/// 29,000 page faults, a sixth of its CPU time (BENCHMARKS.md, issue #16, session 8). Advised,
/// each 2 MiB page faults once. Where transparent huge pages are off (`never` in
/// `/sys/kernel/mm/transparent_hugepage/enabled`) or the kernel lacks them, the advice fails
/// and is ignored: the buffer keeps small pages. Under `always` it changes nothing.
package enum HugePages {
    /// The size of a transparent huge page (x86-64, and arm64 with 4 KiB pages).
    static let size = 2 << 20

    /// Advises huge pages for the whole 2 MiB pages inside `bytes` (none when it holds none).
    package static func advise(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let start = (Int(bitPattern: base) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(size - 1)
        guard end > start else { return }
        unsafe try? Syscalls.advise(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: start), count: end - start),
                                    .hugePages)
    }

    /// Makes room in `array` for at least `capacity` elements, in storage advised for huge pages
    /// (``advise(_:)``); does nothing when it has the room already. Its elements are kept.
    package static func reserve<Element>(_ array: inout [Element], capacity: Int) {
        guard array.capacity < capacity else { return }
        var grown = unsafe [Element](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            unsafe advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = 0
        }
        grown.append(contentsOf: array)
        array = grown
    }
}
