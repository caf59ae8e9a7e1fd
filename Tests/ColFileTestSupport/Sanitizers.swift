import Glibc

/// Which sanitizers this test process was built with, for tests that cannot run under them.
public enum Sanitizers {
    /// Whether AddressSanitizer's runtime is loaded (`swift test --sanitize=address`). Its shadow
    /// memory reserves terabytes of address space, so a child under `ulimit -v` cannot start.
    public static let addressSanitizerIsLoaded: Bool = unsafe dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
}
