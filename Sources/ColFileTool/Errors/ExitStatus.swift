import ArgumentParser
import ColFile
import ColFileCSV

/// The exit statuses of `colfile`, documented in the root command's discussion and the README:
/// 0 success, 1 bad file, 2 usage or I/O, 3 a harness check failed.
///
/// Each error type has one exhaustive mapping from its code to a status, without `default:`, so
/// a code added to ``ColFile/ColFileError/Code`` or ``ColFileCSV/CSVError/Kind`` does not compile
/// until it is given a status here.
enum ExitStatus {
    /// The file is bad: it is not a colfile file, it breaks a rule of `Specification.md`, or a CSV
    /// input has a problem.
    static let badFile = ExitCode(1)
    /// The command line is wrong (including an unknown column name), or a file could not be read
    /// or written (I/O).
    static let usageOrIO = ExitCode(2)
    /// `colfile harness` saw a worker fail, the workers disagree, or a scenario's check failed.
    static let checkFailed = ExitCode(3)

    /// The status for a colfile error: ``usageOrIO`` for system-call failures and for requests the
    /// file cannot satisfy (no such column, wrong type, invalid values to write, a decode the
    /// options forbid or cap, a dataset version another writer published first), ``badFile`` for
    /// every check of the file's bytes and of a dataset's manifest and shards.
    static func of(_ code: ColFileError.Code) -> ExitCode {
        switch code {
        // The machine or the request, not the file.
        // A directory, FIFO, socket or device named where a file belongs: the command was pointed
        // at the wrong thing, as with a missing file (io); no file's bytes are wrong.
        case .unsupportedHost, .io, .notARegularFile, .noSuchColumn, .typeMismatch, .invalidArgument, .wouldDecode,
             .decodeLimitExceeded, .codecUnavailable, .versionConflict:
            usageOrIO
        // A draft in a state the command cannot act on now (Specification.md §15.5).
        case .sealedDraft, .draftBusy, .draftIncomplete:
            usageOrIO
        // The file changed under the reader: what was read from it is not the file (and what it
        // holds now may be a truncated file); a script should treat it as a bad file.
        case .fileChanged:
            badFile
        // The checks of Specification.md §9 and §13.3, and verification.
        case .truncated, .trailingBytes, .badMagic, .unsupportedMajorVersion, .badHeader, .headerChecksumMismatch,
             .unsupportedFeatures, .badDirectoryLocation, .badTrailer, .directoryChecksumMismatch, .badDirectory,
             .badMetadata, .badColumnName, .unknownPhysicalType, .unsupportedCodec, .badColumnType,
             .logicalTypeMismatch, .rowCountMismatch, .badNullCount, .bufferLengthMismatch, .bufferOutOfBounds,
             .misalignedBuffer, .overlappingBuffers, .badOffsets, .offsetsNotIncreasing, .badNameIndex,
             .badChunkIndex, .chunkOutOfRange, .overlappingChunks, .chunkGap, .corruptChunk, .chunkLengthMismatch,
             .chunkChecksumMismatch, .bufferChecksumMismatch, .invalidUTF8, .badDictionaryIndex, .unsealedDraft,
             .badDraftHeader, .badDraftLayout,
             // The checks of a dataset's manifest and shards (Specification.md §14).
             .badManifest, .shardMismatch:
            badFile
        }
    }

    /// The status for a CSV import error: ``badFile`` for CSV text that is not valid (or a column
    /// CSV cannot carry), ``usageOrIO`` for options and reading.
    static func of(_ kind: CSVError.Kind) -> ExitCode {
        switch kind {
        case .invalidCSV, .noCSVForm: badFile
        case .invalidOption, .io: usageOrIO
        }
    }

    /// The status for the tool's own failures.
    static func of(_ kind: ToolFailure.Kind) -> ExitCode {
        switch kind {
        case .usage, .io: usageOrIO
        case .checkFailed: checkFailed
        }
    }
}
