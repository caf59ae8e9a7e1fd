import ColFile
import ColFileTestSupport
import Glibc
import SystemPackage
import Testing

/// The address hint of large mappings (`MappingPlacement`): where it asks the kernel to put a
/// mapping, and that mappings made with it read the file.
@Suite struct MappingPlacementTests {
    private let gibibyte = MappingPlacement.tableSpan
    private let twoMebibytes = MappingPlacement.entrySpan

    @Test(arguments: [512 << 20, 1_600_004_368, 3 << 30])
    func theHintedStartSits2MiBUnderAGiBBoundaryAndEndsUnderTheCeiling(length: Int) {
        for ceiling in [0x7f00_0000_0000, 0x7ff4_4000_0000, 0x5555_c000_0000] {
            let start = MappingPlacement.start(under: ceiling, length: length)
            #expect((start + twoMebibytes) % gibibyte == 0)
            #expect(start + length + twoMebibytes <= ceiling)
            // The highest such start: one GiB higher would not fit under the ceiling.
            #expect(start + gibibyte + length + twoMebibytes > ceiling)
        }
    }

    @Test func noHintWhenTheCeilingLeavesNoRoom() {
        #expect(MappingPlacement.start(under: 0, length: 1 << 30) == 0)
        #expect(MappingPlacement.start(under: 2 << 30, length: 1 << 30) == 0)
        #expect(MappingPlacement.start(under: 2 << 30, length: 3 << 30) == 0)
    }

    /// A sparse file of 1 GiB + 4 KiB mapped several times in a row: the first mapping is placed
    /// by the kernel, the later ones where the hint asks if the range is free; all read the file.
    @Test func hintedMappingsReadTheFile() throws {
        let folder = try TemporaryFolder("placement")
        let path = folder.file("sparse")
        let length = (1 << 30) + 4096
        let fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.create, .truncate], permissions: .ownerReadWrite)
        defer { try? fd.close() }
        #expect(ftruncate(fd.rawValue, off_t(length)) == 0)
        _ = try fd.writeAll(toAbsoluteOffset: Int64(length - 1), [UInt8(7)])
        for _ in 0..<3 {
            let bytes = try unsafe Syscalls.mapReadOnly(fd, length: length)
            defer { unsafe Syscalls.unmap(bytes) }
            let (count, first, last) = unsafe (bytes.count, bytes[0], bytes[length - 1])
            #expect(count == length)
            #expect(first == 0 && last == 7)
        }
    }
}
