import ColFile
import ColFileCSV

/// The value of `colfile import --compress`: `none`, `auto`, `zstd`, `zlib`, or column names each
/// with an optional `:zstd` / `:zlib` (default zstd), read as one CSV record (``NameList``).
enum CompressOption {
    /// The import's compression choice for `text`, with `level` (if given) for every codec named.
    ///
    /// - Throws: ``ToolFailure`` (usage) for an empty name, an unknown codec, or a level with `none`/`auto`.
    static func parse(_ text: String, level: Int?) throws -> CSVImporter.CompressionChoice {
        switch text {
        case "none", "auto":
            guard level == nil else { throw ToolFailure.usage("--compression-level needs --compress zstd, zlib or columns") }
            return text == "none" ? .none : .all(.auto())
        case "zstd", "zlib":
            return .all(try compression(text, level: level))
        default:
            var choices: [String: Compression] = [:]
            for entry in try NameList.split(text, option: "--compress") {
                var name = entry
                var codec = "zstd"
                if let colon = entry.lastIndex(of: ":"), ["zstd", "zlib"].contains(String(entry[entry.index(after: colon)...])) {
                    name = String(entry[..<colon])
                    codec = String(entry[entry.index(after: colon)...])
                }
                guard !name.isEmpty else {
                    throw ToolFailure.usage("--compress takes none, auto, zstd, zlib, or column names (each optionally "
                                            + "with :zstd or :zlib) separated by commas")
                }
                choices[name] = try compression(codec, level: level)
            }
            return .columns(choices)
        }
    }

    private static func compression(_ codec: String, level: Int?) throws -> Compression {
        switch codec {
        case "zlib":
            guard (0...9).contains(level ?? 6) else { throw ToolFailure.usage("--compression-level for zlib is 0 to 9") }
            return .zlib(level: level ?? 6)
        default:
            let level = level ?? Compression.defaultZstdLevel
            guard (-7...22).contains(level), level != 0 else {
                throw ToolFailure.usage("--compression-level for zstd is -7 to 22, not 0")
            }
            return .zstd(level: level)
        }
    }
}
