import ColFile
import Testing

/// `DeviceNumber`, the one place the `major:minor` rule of `/proc` is written (the seal's holder
/// search and the harness's per-file `Pss` both match files by it).
@Suite struct DeviceNumberTests {
    @Test func numbersSplitAndJoinByGlibcsRule() {
        // makedev(0x1234, 0x56789) by glibc's rule: the high bits of each number above the low ones.
        let device: UInt64 = 0x1000_5672_3489
        let number = DeviceNumber(device)
        #expect(number.major == 0x1234)
        #expect(number.minor == 0x56789)
        #expect(number.device == device)
        #expect(DeviceNumber(0x801).hexadecimal == "08:01")
    }

    @Test func theTextOfProcIsParsed() {
        #expect(DeviceNumber(hexadecimal: "fd:01")?.device == 0xFD01)
        #expect(DeviceNumber(hexadecimal: "fd") == nil)
        #expect(DeviceNumber(hexadecimal: "fd:0g") == nil)
    }

    @Test func theExecutablesMappingNamesTheDeviceStatReports() throws {
        let identity = try Syscalls.identity(ofPath: "/proc/self/exe")
        let maps = try Syscalls.smallTextFile("/proc/self/maps", limit: 16 << 20)
        // A mapping's line: address range, permissions, offset, device, inode, path.
        let devices = maps.split(separator: "\n").compactMap { line -> UInt64? in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 6, UInt64(parts[4]) == identity.inode else { return nil }
            return DeviceNumber(hexadecimal: parts[3])?.device
        }
        #expect(!devices.isEmpty)
        #expect(devices.allSatisfy { $0 == identity.device })
    }
}
