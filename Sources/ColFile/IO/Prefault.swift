/// Fresh memory that is about to be written, faulted in by one `madvise(MADV_POPULATE_WRITE)`
/// instead of one page fault per page.
///
/// A first write to a page of fresh anonymous memory (a large `malloc`, which `mmap`s it) traps
/// into the kernel, which finds the mapping, allocates, charges and zeroes a page and returns:
/// about 2.3 µs a page on the virtual machine of BENCHMARKS.md, some 19,000 of them in an import
/// of 50,000 columns. `MADV_POPULATE_WRITE` (Linux 5.14+) does the same for a whole range in one
/// call, without a trap, a mapping lookup and a return per page; the allocation, charge and
/// zeroing stay.
///
/// Only a hint: a range shorter than ``minimumBytes`` is left to the faults (a small buffer
/// would pay a system call for little), and a failure (`EINVAL` from an older kernel, `ENOMEM`)
/// is ignored, the pages then faulting in as they are written. Only the whole pages inside a
/// range are populated, so memory around an allocation is never touched.
package enum Prefault {
    /// The fewest bytes worth a system call (64 pages).
    package static let minimumBytes = 256 << 10

    /// The bytes populated at a time by ``ahead(base:capacity:from:to:chunk:)``.
    package static let chunk = 512 << 10

    /// Faults in, writable, the whole pages within `count` bytes from `start` (part of one
    /// allocation, about to be written), when they are ``minimumBytes`` or more.
    ///
    /// Audited unsafe scope: `madvise` is given only whole pages inside the range, which the
    /// caller's allocation holds; populating reads and writes no byte of them.
    package static func forWriting(_ start: UnsafeMutableRawPointer, count: Int) {
        guard count >= minimumBytes else { return }
        let pageMask = Machine.pageSize - 1
        let first = (Int(bitPattern: start) + pageMask) & ~pageMask
        let end = (Int(bitPattern: start) + count) & ~pageMask
        guard end > first, let pages = unsafe UnsafeRawPointer(bitPattern: first) else { return }
        try? unsafe Syscalls.advise(UnsafeRawBufferPointer(start: pages, count: end - first), .populateWrite)
    }

    /// For memory filled from its start (a bump allocator, an array appended to) whose first
    /// `old` bytes were handed out and whose first `new` now are: populates each `chunk` of it
    /// after the first (left to the faults, so a small use of a large allocation populates
    /// nothing) when the range handed out enters it, so at most the unused end of one chunk is
    /// populated for nothing.
    ///
    /// Calls whose ranges do not overlap (an atomic counter's) populate different chunks, so it
    /// may be called from several threads at once for one allocation.
    ///
    /// - Parameters:
    ///   - base: The allocation's start.
    ///   - capacity: Its bytes: nothing is populated past its end.
    ///   - old: The bytes in use before.
    ///   - new: The bytes in use now.
    ///   - chunk: The bytes populated at a time, ``minimumBytes`` or more.
    package static func ahead(base: UnsafeMutableRawPointer, capacity: Int, from old: Int, to new: Int,
                              chunk: Int = Prefault.chunk) {
        guard new > chunk, new > old, old < capacity else { return }
        // Chunks 1 up to (not including) `populatedEnd(used)` are populated once `used` bytes
        // are in use: through the one holding byte `used - 1`.
        func populatedEnd(_ used: Int) -> Int {
            used <= chunk ? 1 : (used - 1) / chunk + 1
        }
        let start = populatedEnd(old) * chunk
        let end = min(capacity, populatedEnd(new) * chunk)
        guard start < end else { return }
        unsafe forWriting(base + start, count: end - start)
    }
}

extension Prefault {
    /// An allocation known to be fresh (an array's storage just reserved) and filled from its
    /// start: its pages are populated a step ahead of the writes, while it is still the
    /// allocation noted (an array traded for another is left alone).
    package struct Fresh {
        /// The allocation's address, 0 for none.
        private var address = 0
        /// The bytes from its start written or populated.
        private var populated = 0

        /// No fresh allocation.
        package init() {}

        /// Whether an allocation is noted.
        package var isNoted: Bool { address != 0 }

        /// Notes that the allocation at `start` is fresh past its first `used` bytes (written).
        package mutating func note(_ start: UnsafeMutableRawPointer?, used: Int) {
            address = Int(bitPattern: start)
            populated = used
        }

        /// When `start` is the allocation noted: populates its pages from the last byte
        /// populated up to byte `end` (at most its capacity), once that is ``minimumBytes`` or more.
        ///
        /// Audited unsafe scope: the caller's allocation at `start` holds `end` bytes.
        package mutating func populate(_ start: UnsafeMutableRawPointer?, through end: Int) {
            guard address != 0, Int(bitPattern: start) == address, end - populated >= minimumBytes,
                  let start = unsafe start else { return }
            unsafe forWriting(start + populated, count: end - populated)
            populated = end
        }
    }
}
