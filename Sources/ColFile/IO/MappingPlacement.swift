import Synchronization

/// Where a large read-only mapping asks to be placed: an address hint for `mmap`, never a demand.
///
/// The unmap of a mapping walks every page-middle entry (one per 2 MiB) of its range that lies under
/// a page-middle table (one per 1 GiB of address space) that exists: the table of the GiB holding
/// the first value, which the first fault creates, and the table of the GiB where the mapping
/// ends, if other mappings (the shared libraries just above, where the kernel places a new mapping)
/// gave it one. Where the kernel puts a 1.6 GB mapping is random per process (address space layout
/// randomization), so that walk is 250 entries in some processes and 760 in others: a bare
/// open, map, first value and unmap takes about 9.8 or 13 µs (BENCHMARKS.md, "Attach: the
/// user-space work at open", session 9). Asked to, the kernel places the mapping 2 MiB below a GiB
/// boundary, ending under a GiB boundary the kernel last found free above it: the first GiB holds
/// one entry of the mapping, the last GiB most often no other mapping, and the unmap walks a
/// handful of entries.
///
/// The hint comes from the last large mapping the kernel placed by itself in this process (nothing
/// is known before: the first large mapping of a process lands where the kernel puts it). A hint is
/// only a hint: if the range is taken the kernel places the mapping as it would have, and the next
/// hint is made from there. No system call is added.
package enum MappingPlacement {
    /// Mappings of at least this many bytes (512 MiB) are hinted: each 2 MiB of a mapping under a
    /// page-middle table costs about 7 ns at its unmap (measured on a 1.6 GB file).
    package static let hintedMinimumSize = 512 << 20

    /// The span of one page-middle table, 1 GiB (x86-64 and arm64 with 4 KiB pages).
    package static let tableSpan = 1 << 30

    /// The span of one page-middle entry, 2 MiB: the kernel pads a file mapping's length by it to
    /// align the mapping for huge pages, and looks for the padded length at the hint.
    package static let entrySpan = 2 << 20

    /// The GiB boundary under which the next large mapping is asked to end; 0 while none is known.
    private static let ceiling = Atomic<Int>(0)

    /// The address to ask `mmap` for a mapping of `length` bytes, nil to let the kernel choose.
    static func hint(length: Int) -> UnsafeMutableRawPointer? {
        guard length >= hintedMinimumSize else { return nil }
        return unsafe UnsafeMutableRawPointer(bitPattern: start(under: ceiling.load(ordering: .relaxed), length: length))
    }

    /// Records where the kernel placed a mapping of `length` bytes at `address` (which `hint` asked
    /// for or not), so that the next hint is made from a placement the kernel found room for.
    static func placed(_ address: UnsafeMutableRawPointer, length: Int, hint: UnsafeMutableRawPointer?) {
        guard length >= hintedMinimumSize, unsafe address != hint else { return }
        let end = Int(bitPattern: address).addingReportingOverflow(length)
        guard !end.overflow else { return }
        ceiling.store(end.partialValue & ~(tableSpan - 1), ordering: .relaxed)
    }

    /// The start of a mapping of `length` bytes that ends (with the kernel's padding) at or under
    /// the GiB boundary `ceiling`, 2 MiB under a GiB boundary itself; 0 (no hint) if there is no
    /// such address above the first GiB.
    package static func start(under ceiling: Int, length: Int) -> Int {
        precondition(ceiling & (tableSpan - 1) == 0 && length >= 0, "a ceiling on a GiB boundary and a length")
        guard ceiling > length, length < Int.max - tableSpan else { return 0 }
        let start = ((ceiling - length) & ~(tableSpan - 1)) - entrySpan
        return start >= tableSpan ? start : 0
    }
}
