/// A device number (`st_dev`) split into the major and minor numbers `/proc` prints.
///
/// glibc's `makedev` rule for 32-bit numbers: the minor's low 8 bits in bits 0–7 and its high 24
/// from bit 20, the major's low 12 bits in bits 8–19 and its high 20 from bit 44. `/proc/PID/smaps` and
/// `/proc/PID/fdinfo` print a file's device as `major:minor` in hexadecimal.
package struct DeviceNumber: Equatable, Sendable {
    /// The device's major number (its driver).
    package var major: UInt64
    /// The device's minor number (the device of that driver).
    package var minor: UInt64

    /// The major and minor numbers of `device`, as `stat` reports it.
    package init(_ device: UInt64) {
        major = ((device >> 8) & 0xFFF) | ((device >> 32) & 0xFFFF_F000)
        minor = (device & 0xFF) | ((device >> 12) & 0xFFFF_FF00)
    }

    /// The numbers of a `major:minor` text in hexadecimal, as `/proc/PID/smaps` prints it; nil
    /// when `text` is not one.
    package init?(hexadecimal text: Substring) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt64(parts[0], radix: 16), let minor = UInt64(parts[1], radix: 16) else {
            return nil
        }
        self.major = major
        self.minor = minor
    }

    /// The device number `stat` reports for these numbers.
    package var device: UInt64 {
        (major & 0xFFF) << 8 | (major & 0xFFFF_F000) << 32 | (minor & 0xFF) | (minor & 0xFFFF_FF00) << 12
    }

    /// `major:minor` in hexadecimal with at least two digits each, as `/proc/PID/fdinfo` prints a
    /// lock's file.
    package var hexadecimal: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return digits.count < 2 ? "0" + digits : digits
        }
        return "\(hex(major)):\(hex(minor))"
    }
}
