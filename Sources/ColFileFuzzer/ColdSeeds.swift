import ColFile
import Foundation

/// The seed files with cold (zlib and zstd, chunked) columns, which the golden fixtures do not have: small
/// enough for libFuzzer's input length, with several chunks per buffer and every buffer role; and
/// one of dictionary-encoded columns (`dict-columns.col`).
enum ColdSeeds {
    /// Writes the seeds into `folder` (made if missing), with fixed file ids so they are the same
    /// bytes on every run.
    static func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let chunked = Compression.zlib(level: 6, chunkSize: 4096)
        try seed(folder, "cold-int32", id: 1) { writer in
            writer.defaultCompression = chunked
            try writer.addColumn("n", (0..<2500).map { Int32($0 % 97) })
        }
        try seed(folder, "cold-nullable", id: 2) { writer in
            writer.defaultCompression = chunked
            try writer.addColumn("x", (0..<1200).map { $0 % 5 == 0 ? nil : Double($0 % 13) } as [Double?])
            try writer.addColumn("b", (0..<1200).map { $0 % 7 == 0 ? nil : $0 % 3 == 0 } as [Bool?])
        }
        try seed(folder, "cold-strings", id: 3) { writer in
            writer.defaultCompression = chunked
            try writer.addColumn("s", (0..<1500).map { $0 % 11 == 0 ? nil : "row \($0 % 40) é" } as [String?])
            try writer.addBinaryColumn("bin", (0..<1500).map { [UInt8(truncatingIfNeeded: $0), 0, 255] })
        }
        try seed(folder, "cold-tensor", id: 4) { writer in
            writer.defaultCompression = chunked
            try writer.addTensorColumn("t", shape: [4], (0..<2048).map { Float($0 % 17) })
            writer.compression["plain"] = ColFile.Compression.none
            try writer.addColumn("plain", (0..<512).map { UInt16($0) })
        }
        // The same kinds of buffers with zstd (codec 2): its frames, checksums and content sizes.
        try seed(folder, "cold-zstd", id: 5) { writer in
            writer.defaultCompression = .zstd(level: 3, chunkSize: 4096)
            try writer.addColumn("n", (0..<2500).map { Int32($0 % 97) })
            try writer.addColumn("s", (0..<2500).map { $0 % 11 == 0 ? nil : "row \($0 % 40) é" } as [String?])
        }
        // Dictionary-encoded columns (format 1.2, §6.4): a String dictionary with nulls (Int8
        // indices), a Float64 one (Int16 indices, given), and a zstd-compressed Binary one, so
        // mutations reach the index, offsets and UTF-8 checks and the five-buffer decode.
        try seed(folder, "dict-columns", id: 6) { writer in
            try writer.addDictionaryColumn("carrier", encoding: (0..<600).map {
                $0 % 9 == 0 ? nil : ["UA", "AA", "B6", "DL", "é-EV"][$0 % 5]
            })
            try writer.addDictionaryColumn("price", indices: (0..<600).map { $0 % 7 == 0 ? nil : $0 % 3 },
                                           dictionary: .values([1.5, -2.25, 1e300]), indexType: .int16)
            writer.compression["tag"] = .zstd(level: 3, chunkSize: 4096)
            try writer.addDictionaryColumn("tag", indices: (0..<600).map { $0 % 4 }, dictionary: .binary([
                [], [0], [0xFF, 0x00, 0x7F], [0xC3, 0x28],
            ]), indexType: .int32)
        }
        try draftSeed(folder)
    }

    /// An open draft (Specification.md §15) of every kind of column a draft holds, some rows
    /// written, so the fuzz target's draft path sees a real header, claim table and description.
    /// No range is claimed: the claim table would then hold a process id, and a seed must be the
    /// same bytes on every run.
    private static func draftSeed(_ folder: String) throws {
        let path = folder + "/draft.col"
        try? FileManager.default.removeItem(atPath: path)
        let draft = try ColFileDraft.create(path, rowCount: 256, columns: [
            DraftColumn("x", of: Double.self), DraftColumn("n", of: Int64.self, initialRows: .zero),
            DraftColumn("flag", .bool), DraftColumn("t", .float32, shape: [2]),
        ], rowsPerRange: 64, metadata: ["job": "seed"], fileID: [UInt8](repeating: 6, count: 16))
        try draft.column("x", as: Double.self).write((0..<64).map(Double.init), at: 0)
        try draft.atomicColumn("n", as: Int64.self).store(7, at: 3)
    }

    private static func seed(_ folder: String, _ name: String, id: UInt8,
                             _ body: (ColFileWriter) throws -> Void) throws {
        let writer = try ColFileWriter(path: folder + "/" + name + ".col",
                                       options: ColFileWriter.Options(fileID: [UInt8](repeating: id, count: 16)))
        try body(writer)
        try writer.finish()
    }
}

/// Reading a whole file for the replay mode.
enum FileContents {
    /// The bytes of the file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return [UInt8](data)
    }
}
