import SystemPackage

/// Owns the bytes of one open file: a read-only `MAP_SHARED` mapping, or (for tests and the
/// fuzzer) a private copy in memory. Unmaps or frees them in `deinit`.
///
/// Every column view holds a strong reference to its region beside the ``ByteView`` it reads
/// through, so no view can outlive the bytes it reads. The region is immutable after `init`, so it
/// is safe to share between threads.
///
/// A mapping is guarded against truncation of its file (``MappingGuard``): if the file loses
/// pages under it, its bytes all read as zero from then on and ``isDamaged`` becomes true.
@safe
@usableFromInline
final class MappedRegion: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer
    private let isMapping: Bool
    private let mappingGuard: MappingGuard?

    /// Maps `length` bytes of `fd` (`mmap(PROT_READ, MAP_SHARED)`) and guards the mapping; an empty
    /// file maps nothing. `path` names the file in ``MappingGuard/changedFiles()``.
    init(mapping fd: FileDescriptor, length: Int, path: String) throws(Errno) {
        if length == 0 {
            unsafe bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mappingGuard = nil
        } else {
            unsafe bytes = try Syscalls.mapReadOnly(fd, length: length)
            mappingGuard = unsafe MappingGuard(bytes, path: path)
        }
        isMapping = true
    }

    /// Allocates `length` zeroed bytes owned by the region and lets `fill` write them, once.
    init(allocating length: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 4096)
        unsafe storage.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try unsafe fill(UnsafeMutableRawBufferPointer(rebasing: storage[0..<length]))
        } catch {
            unsafe storage.deallocate()
            throw error
        }
        unsafe bytes = UnsafeRawBufferPointer(storage)
        isMapping = false
        mappingGuard = nil
    }

    /// Copies `contents` into memory owned by the region.
    init(copying contents: [UInt8]) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: contents.count, alignment: 4096)
        unsafe storage.copyBytes(from: contents)
        unsafe bytes = UnsafeRawBufferPointer(storage)
        isMapping = false
        mappingGuard = nil
    }

    deinit {
        mappingGuard?.release()
        if isMapping {
            unsafe Syscalls.unmap(bytes)
        } else {
            unsafe UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
        }
    }

    /// Whether the file under this mapping lost pages (they now read as zero) or was seen to change
    /// after its bytes were checked; always false for memory.
    var isDamaged: Bool { mappingGuard?.isDamaged ?? false }

    /// Records that bytes of the region changed after they were checked (a file rewritten in place).
    @usableFromInline
    func markDamaged() {
        mappingGuard?.markDamaged()
    }

    /// A bounds-checked view of the region, valid while the region lives.
    var view: ByteView { unsafe ByteView(bytes) }

    /// The bytes `[offset, offset + length)`, which the caller has checked, valid while the region
    /// lives (views keep the region beside the bytes).
    func view(at offset: UInt64, length: Int) -> ByteView {
        let size = unsafe bytes.count
        precondition(offset <= UInt64(size) && length >= 0 && length <= size - Int(offset),
                     "byte range outside the region")
        return view.slice(offset: Int(offset), length: length)
    }
}
