import CColFile

/// The C allocator of a command that allocates and frees large buffers (an import: a block's
/// text and field ends, the writer's staging and directory), told to keep freed memory for the
/// next allocation rather than hand it back to the kernel at once.
///
/// By default glibc serves an allocation of 128 KiB or more (a threshold it raises as such
/// buffers are freed) with a fresh `mmap` and unmaps it on `free`, so each such buffer's pages
/// are faulted in anew: the kernel allocates, charges and zeroes every page, which on the virtual
/// machines of BENCHMARKS.md costs 0.3–0.7 ms a MB, more when the host has reclaimed the free
/// memory. With allocations of up to 32 MiB (glibc's largest threshold on 64-bit) served from
/// the heap and 256 MiB of freed memory kept there, the memory a pass frees serves the buffers
/// the next steps allocate: a 50,000-column import faults in 2,000 fewer pages (8 MB) and takes
/// 0.91× the CPU, a narrow one 0.99× (BENCHMARKS.md). Peak memory is unchanged; the memory is
/// returned when the command ends.
///
/// A process-wide setting, so only the tool's commands make it, never the library.
enum FreedMemoryReuse {
    /// Allocations below this come from the heap, not from an `mmap` of their own.
    static let mmapThreshold: CInt = 32 << 20
    /// Freed memory at the top of the heap kept before it is handed back.
    static let trimThreshold: CInt = 256 << 20

    /// Applies the settings, once, before the command allocates its buffers. A setting glibc
    /// refuses is left at its default (only speed depends on it).
    static func enable() {
        _ = colfile_keep_freed_memory(mmapThreshold, trimThreshold)
    }
}
