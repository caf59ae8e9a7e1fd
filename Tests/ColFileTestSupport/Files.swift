import Foundation

/// Whole-file reads and writes for tests.
public enum Files {
    /// The bytes of the file at `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Replaces the file at `path` with `bytes`, creating folders as needed.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
    }
}

extension Files {
    /// Cuts the file at `path` to `size` bytes in place (`ftruncate`), as `truncate -s` or a
    /// careless writer does to a published file.
    public static func truncate(_ path: String, to size: UInt64) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: size)
    }

    /// Overwrites `bytes` at `offset` of the file at `path` in place (no truncation, no rename), as
    /// `dd conv=notrunc` or `rsync --inplace` does.
    public static func overwrite(_ path: String, with bytes: [UInt8], at offset: UInt64) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }
}
