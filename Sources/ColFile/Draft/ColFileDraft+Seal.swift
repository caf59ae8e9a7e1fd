import SystemPackage

extension ColFileDraft {
    /// Seals the draft at `path` into a colfile file and publishes it atomically at `target`.
    ///
    /// In place (no column compressed): the seal takes the draft's seal lock exclusively (so no
    /// handle is open anywhere, §15.4), marks the draft `sealing`, computes every column's null
    /// count and buffer CRC-32s, writes the directory and trailer after the description, flushes,
    /// replaces the draft header by the colfile header, flushes, zeroes what is now padding (the
    /// claim table, the description, bitmaps of columns without nulls), flushes, and renames the
    /// file over `target`, flushing the folder. No byte of data is copied. Readers of the previous
    /// `target` keep the version they mapped. A crash leaves the previous `target` and either the
    /// draft (open again once the lock is gone) or, after the header step, a sealed file at `path`
    /// that sealing again publishes (Specification.md §15.5).
    ///
    /// With ``SealOptions/compression``, the columns go through ``ColFileWriter`` into a new file
    /// that the writer publishes; the draft is then removed.
    ///
    /// - Parameters:
    ///   - path: The draft.
    ///   - target: Where the sealed file goes, on the draft's file system; any file there is replaced.
    ///   - options: Waiting, completeness, compression and flushing.
    /// - Returns: What the seal did.
    /// - Throws: ``ColFileError``: ``ColFileError/Code/draftBusy`` while handles hold the draft
    ///   (after waiting as the options say); ``ColFileError/Code/draftIncomplete``;
    ///   ``ColFileError/Code/noSuchColumn`` for a compression naming no column;
    ///   ``ColFileError/Code/invalidArgument`` when `target` is the draft; the code of a bad draft;
    ///   ``ColFileError/Code/io``.
    @discardableResult
    public static func seal(_ path: String, to target: String, options: SealOptions = SealOptions()) throws -> SealReport {
        guard target != path else {
            throw ColFileError(.invalidArgument, path: path, message: "the target of a seal must be another path than the draft")
        }
        let sealer = try DraftSealer(path: path, target: target, options: options)
        return try sealer.seal()
    }
}
