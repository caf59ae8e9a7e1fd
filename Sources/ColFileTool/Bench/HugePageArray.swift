import Glibc

/// The bench's large input arrays, backed by transparent huge pages where the kernel offers them
/// on request (`madvise(MADV_HUGEPAGE)` on the array's memory before its first touch), as NumPy
/// does for every large array it allocates: `Tools/bench/peers.py` compares the writer with
/// `np.save` of such arrays, and the kernel's copy out of 4 KiB pages of the caller's memory was
/// the larger part of the gap between them (BENCHMARKS.md, "Writing at the page cache's speed").
/// Where huge pages are off (`never`), the arrays are plain arrays.
enum HugePageArray {
    /// The huge page size of x86-64 and arm64 with 4 KiB pages.
    static let hugePage = 2 << 20

    /// An array of `count` elements, element `index` being `value(index)`.
    static func make<Element>(count: Int, _ value: (Int) -> Element) -> [Element] {
        unsafe [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = Int(bitPattern: buffer.baseAddress)
            let start = (base + hugePage - 1) & ~(hugePage - 1)
            let end = (base + count * MemoryLayout<Element>.stride) & ~(hugePage - 1)
            if end > start {
                // Advice only: without huge pages the array is the same, on 4 KiB pages.
                _ = unsafe madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
            }
            for index in 0..<count {
                unsafe (buffer.baseAddress! + index).initialize(to: value(index))
            }
            initialized = count
        }
    }
}
