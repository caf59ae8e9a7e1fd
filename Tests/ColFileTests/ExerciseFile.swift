import ColFile
import ColFileTestSupport
import Testing

/// Opens `bytes` from memory (cold columns decoded privately); when that works, reads every value
/// through the views and runs `verify()`. The sweeps feed it damaged files: it must never crash.
///
/// - Returns: the first error thrown, or nil when the file opened and read cleanly. An error that
///   is not a ``ColFileError`` is recorded as a test issue, naming `context`.
func exerciseFile(_ bytes: [UInt8], _ context: String) -> ColFileError? {
    do {
        let reader = try ColFileReader.open(bytes: bytes, options: ReaderOptions(coldColumns: .privateMemory))
        _ = try ExpectedFile(reading: reader)
        try reader.verify()
        return nil
    } catch let error as ColFileError {
        return error
    } catch {
        Issue.record("\(context): not a ColFileError: \(error)")
        return nil
    }
}
