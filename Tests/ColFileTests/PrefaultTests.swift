import ColFile
import ColFileTestSupport
import Testing

/// ``Prefault`` populates exactly the pages it should, seen with `mincore` on fresh anonymous
/// mappings: the whole pages inside a range and none around it, nothing for a short range, each
/// chunk of a bump-allocated region once the allocations enter it (never the first chunk, never
/// past the capacity), and a ``Prefault/Fresh`` allocation only while it is the one noted.
@Suite(.enabled(if: ResidentPages.kernelPopulates, "the kernel has no MADV_POPULATE_WRITE (Linux 5.14+)"))
struct PrefaultTests {
    private static let page = ResidentPages.pageSize

    private static func withFreshMapping(pages: Int, _ body: (UnsafeMutableRawPointer) throws -> Void) throws {
        try unsafe ResidentPages.withFreshMapping(pages: pages, body)
    }

    /// The indexes of the resident pages among the `pages` pages from `base` (page-aligned).
    private static func residentPages(_ base: UnsafeMutableRawPointer, pages: Int) -> [Int] {
        let resident = unsafe ResidentPages.indexes(from: base, pages: pages)
        #expect(resident != nil, "mincore failed")
        return resident ?? []
    }

    @Test func forWritingPopulatesTheWholePagesInsideTheRange() throws {
        try unsafe Self.withFreshMapping(pages: 512) { base in
            // From 100 bytes into page 0 to 100 bytes into page 300: pages 1 to 299 lie inside.
            unsafe Prefault.forWriting(base + 100, count: 300 * Self.page)
            #expect(unsafe Self.residentPages(base, pages: 512) == Array(1..<300))
        }
    }

    @Test func forWritingLeavesAShortRangeToTheFaults() throws {
        try unsafe Self.withFreshMapping(pages: 512) { base in
            unsafe Prefault.forWriting(base, count: Prefault.minimumBytes - 1)
            #expect(unsafe Self.residentPages(base, pages: 512).isEmpty)
        }
    }

    /// Allocations of seeded random sizes from a region of 7.5 chunks: after each, the pages of
    /// chunks 1 through the one holding the last byte handed out are resident, within the
    /// capacity (where the last chunk's half is too short to populate), and no other.
    @Test(arguments: [1, 2, 3])
    func aheadPopulatesEachChunkOnceEntered(seed: UInt64) throws {
        let chunk = Prefault.minimumBytes
        let capacity = 7 * chunk + chunk / 2
        let pages = capacity / Self.page + 64
        var random = SplitMix64(seed: seed)
        try unsafe Self.withFreshMapping(pages: pages) { base in
            var used = 0
            while used < capacity + chunk {
                let size = Int.random(in: 1...(chunk / 2 + chunk / 3), using: &random)
                unsafe Prefault.ahead(base: base, capacity: capacity, from: used, to: used + size, chunk: chunk)
                used += size
                let lastChunk = used <= chunk ? 0 : (min(used, capacity) - 1) / chunk
                // The last chunk's part within the capacity is half a chunk, too short to populate.
                var end = min(capacity, (lastChunk + 1) * chunk)
                if end - lastChunk * chunk < Prefault.minimumBytes { end = lastChunk * chunk }
                let expected = lastChunk == 0 ? [] : Array((chunk / Self.page)..<(end / Self.page))
                let resident = unsafe Self.residentPages(base, pages: pages)
                guard resident == expected else {
                    let found = "\(resident.first ?? -1)...\(resident.last ?? -1) (\(resident.count))"
                    let wanted = "\(expected.first ?? -1)...\(expected.last ?? -1) (\(expected.count))"
                    Issue.record("seed \(seed): after \(used) bytes, pages \(found) resident, expected \(wanted)")
                    return
                }
            }
        }
    }

    @Test func freshPopulatesOnlyTheAllocationNoted() throws {
        try unsafe Self.withFreshMapping(pages: 1024) { base in
            let other = unsafe base + 512 * Self.page
            var fresh = Prefault.Fresh()
            #expect(!fresh.isNoted)
            unsafe fresh.populate(base, through: 256 * Self.page)
            #expect(unsafe Self.residentPages(base, pages: 1024).isEmpty, "nothing noted")
            unsafe fresh.note(base, used: 0)
            #expect(fresh.isNoted)
            unsafe fresh.populate(other, through: 256 * Self.page)
            #expect(unsafe Self.residentPages(base, pages: 1024).isEmpty, "another allocation")
            unsafe fresh.populate(base, through: Prefault.minimumBytes - 1)
            #expect(unsafe Self.residentPages(base, pages: 1024).isEmpty, "less than the minimum")
            unsafe fresh.populate(base, through: 100 * Self.page)
            #expect(unsafe Self.residentPages(base, pages: 1024) == Array(0..<100))
            // Onwards from where it stopped, once the minimum is reached again.
            unsafe fresh.populate(base, through: 100 * Self.page + Prefault.minimumBytes)
            #expect(unsafe Self.residentPages(base, pages: 1024) == Array(0..<(100 + Prefault.minimumBytes / Self.page)))
        }
    }
}
