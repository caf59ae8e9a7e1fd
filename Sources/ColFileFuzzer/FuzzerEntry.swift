#if FUZZING
/// libFuzzer's driver (`compiler-rt/lib/fuzzer/FuzzerDriver.cpp`), linked in by `--sanitize=fuzzer`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The fuzz target's input function, under the name libFuzzer looks for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    unsafe FuzzerMain.testOne(data, size)
}

/// The module's entry point under a fuzzing build: SwiftPM links executables with `main` renamed
/// to `<module>_main`, which hides libFuzzer's own `main`, so this calls libFuzzer's driver.
@_cdecl("ColFileFuzzer_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = unsafe argv
    return unsafe LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        unsafe FuzzerMain.testOne(data, size)
    }
}
#else
/// The entry point of a plain build: runs the fuzz input function over the files named on the
/// command line (to replay a crash without the fuzzer), or writes the cold-column seeds of the
/// corpus with `--make-seeds FOLDER`.
@main
struct FuzzerReplay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--make-seeds", arguments.count == 2 {
            try ColdSeeds.write(to: arguments[1])
            return
        }
        for path in arguments {
            let bytes = try FileContents.read(path)
            _ = FuzzInput.run(bytes)
            if let resealed = Reseal.resealed(bytes) { _ = FuzzInput.run(resealed) }
        }
    }
}
#endif

/// What both entry points share.
enum FuzzerMain {
    /// Runs one input; libFuzzer wants 0 back.
    static func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = unsafe data.map { unsafe Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        _ = FuzzInput.run(bytes)
        if let resealed = Reseal.resealed(bytes) { _ = FuzzInput.run(resealed) }
        return 0
    }
}
