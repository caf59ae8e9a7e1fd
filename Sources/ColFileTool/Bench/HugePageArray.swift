import ColFile

/// The bench's large input arrays, backed by transparent huge pages where the kernel offers them
/// on request (`madvise(MADV_HUGEPAGE)` on the array's memory before its first touch), as NumPy
/// does for every large array it allocates: `Tools/bench/peers.py` compares the writer with
/// `np.save` of such arrays, and the kernel's copy out of 4 KiB pages of the caller's memory was
/// the larger part of the gap between them (BENCHMARKS.md, "Writing at the page cache's speed").
/// Where huge pages are off (`never`), the arrays are plain arrays.
enum HugePageArray {
    /// An array of `count` elements, element `index` being `value(index)`.
    static func make<Element>(count: Int, _ value: (Int) -> Element) -> [Element] {
        unsafe [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Advice only: without huge pages the array is the same, on 4 KiB pages.
            unsafe HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            for index in 0..<count {
                unsafe (buffer.baseAddress! + index).initialize(to: value(index))
            }
            initialized = count
        }
    }
}
