/// A command that checks for files changed under its readers itself (``ColFile/ColFileReader/checkIntact()``)
/// and reports them its own way, so ``ColFileCommand/main()`` does not turn them into a failure.
protocol HandlesFileChanges {}
