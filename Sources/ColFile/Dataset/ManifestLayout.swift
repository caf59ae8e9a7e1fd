/// The names in a dataset folder and the metadata keys and columns of a manifest
/// (Specification.md §14.1, §14.2). Pure constants and name rules: no system calls.
enum ManifestLayout {
    /// The file metadata key of the manifest layout version (§14.2).
    static let layoutKey = "colfile.dataset.layout"
    /// The only manifest layout version this library writes and reads.
    static let layoutVersion = "1"
    /// The file metadata key of the dataset version the manifest publishes.
    static let versionKey = "colfile.dataset.version"
    /// The file metadata key of the schema, as JSON (§14.3).
    static let schemaKey = "colfile.dataset.schema"
    /// Metadata keys with this prefix belong to the format; the others are the dataset's own.
    static let reservedKeyPrefix = "colfile."

    /// The manifest columns, in the order writers write them (§14.2).
    static let nameColumn = "name"
    static let rowsColumn = "rows"
    static let bytesColumn = "bytes"
    static let fileIDColumn = "fileID"
    static let directoryCRCColumn = "directoryCRC"

    /// A manifest's name is this prefix, the version in ``versionDigits`` decimal digits, and ``manifestSuffix``.
    static let manifestPrefix = "_manifest-"
    /// The end of a manifest's name.
    static let manifestSuffix = ".col"
    /// Digits of the version in a manifest's name (zero-padded; enough for any u64).
    static let versionDigits = 20
    /// The hint naming the newest version its last writer knew (§14.4).
    static let hintName = "_latest"
    /// The file whose advisory lock writers share and garbage collection takes alone (§14.6).
    static let lockName = "_lock"
    /// The longest shard name, in bytes (a common file-system limit).
    static let maxShardNameLength = 255
    /// The smallest colfile file: a header and a trailer (§4).
    static let minimumFileBytes = 96

    /// `_manifest-00000000000000000042.col` for version 42.
    static func manifestName(version: Int) -> String {
        let digits = String(version)
        return manifestPrefix + String(repeating: "0", count: max(0, versionDigits - digits.count)) + digits
            + manifestSuffix
    }

    /// The version a manifest's file name holds, or nil when `name` is not a manifest's name.
    static func version(ofManifestName name: String) -> Int? {
        let bytes = Array(name.utf8)
        guard bytes.count == manifestPrefix.utf8.count + versionDigits + manifestSuffix.utf8.count,
              name.hasPrefix(manifestPrefix), name.hasSuffix(manifestSuffix) else { return nil }
        let digits = bytes[manifestPrefix.utf8.count..<(manifestPrefix.utf8.count + versionDigits)]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard let version = Int(String(decoding: digits, as: UTF8.self)), version >= 1 else { return nil }
        return version
    }

    /// The version a metadata value or hint spells: 1 to 20 ASCII digits without a leading zero,
    /// at least 1 and at most `Int.max`; nil for anything else.
    static func version(spelled text: some StringProtocol) -> Int? {
        let bytes = Array(text.utf8)
        guard (1...versionDigits).contains(bytes.count), bytes.allSatisfy({ (0x30...0x39).contains($0) }),
              bytes[0] != 0x30, let version = Int(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return version
    }

    /// Why `name` cannot name a shard (§14.1), or nil when it can: 1 to 255 bytes, no `/` and no
    /// NUL, not `.` or `..`, and not starting with `.` (temporary files) or `_` (the dataset's own files).
    static func shardNameProblem(_ name: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty || bytes.count > maxShardNameLength { return "a shard name is 1 to 255 bytes" }
        if bytes.contains(UInt8(ascii: "/")) || bytes.contains(0) { return "a shard name must not hold '/' or NUL" }
        if name.hasPrefix(".") || name.hasPrefix("_") {
            return "a shard name must not start with '.' or '_' (those are the dataset's own files and temporaries)"
        }
        return nil
    }
}
