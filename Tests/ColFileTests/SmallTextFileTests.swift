import ColFile
import ColFileTestSupport
import Foundation
import SystemPackage
import Testing

/// `Syscalls.smallTextFile`, the reader of `/proc` files that replaced Foundation's
/// `String(contentsOfFile:)` (RELIABILITY.md: LeakSanitizer reported that one leaking).
@Suite struct SmallTextFileTests {
    /// A text longer than the 4 KiB read chunk, so the loop must join several reads.
    private static let text = (0..<1_000).map { "line \($0)\n" }.joined()

    @Test func aFileLongerThanOneReadIsReadWhole() throws {
        let folder = try TemporaryFolder("small-text")
        let path = folder.file("text")
        try Self.text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(Self.text.utf8.count > 4096)
        #expect(try Syscalls.smallTextFile(path) == Self.text)
    }

    @Test func readingStopsAtTheLimit() throws {
        let folder = try TemporaryFolder("small-text-limit")
        let path = folder.file("text")
        try Self.text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try Syscalls.smallTextFile(path, limit: 5000) == String(Self.text.utf8.prefix(5000))!)
    }

    @Test func aProcFileWhoseSizeFstatDoesNotTellIsRead() throws {
        let status = try Syscalls.smallTextFile("/proc/self/status")
        #expect(status.split(separator: "\n").contains { $0.hasPrefix("Pid:") })
    }

    @Test func aMissingFileThrowsItsErrno() {
        #expect(throws: Errno.noSuchFileOrDirectory) {
            _ = try Syscalls.smallTextFile("/proc/self/no-such-entry")
        }
    }
}
