import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// A streamed column's full 256 KiB stagings are held in memory while the writer's held budget
/// allows (``ColFileWriter/Options/heldSpillBytes``) and go to the scratch file after it: the
/// file written is the same byte for byte whatever the budget, through every reader of a spill
/// (the copy into the file, a compressed buffer read back piece by piece, a dictionary's indices
/// narrowed, a dictionary given up and its rows written plain from its indices).
@Suite struct HeldSpillTests {
    private static let rows = 300_000

    /// Writes the same columns with a held budget of `heldBytes`; returns the file's bytes after
    /// checking a few values.
    private func write(heldBytes: Int?, in folder: TemporaryFolder) throws -> [UInt8] {
        let path = folder.file("held-\(heldBytes ?? -1).col")
        var options = ColFileWriter.Options(fileID: Array(repeating: 7, count: 16))
        if let heldBytes { options.heldSpillBytes = heldBytes }
        let writer = try ColFileWriter(path: path, options: options)
        writer.compression = ["packed": .zstd()]
        // 2.4 MB each: nine or ten full stagings.
        let plain = try writer.streamColumn("plain", of: Int64.self)
        let packed = try writer.streamColumn("packed", of: Int64.self)
        // Indices of 32 bits spilled (1.2 MB), narrowed to 8 bits at the end.
        let cities = try writer.streamStringColumn("cities", dictionary: .automatic)
        // Distinct values: the dictionary is given up once past its bounds, rows written plain.
        let names = try writer.streamStringColumn("names", dictionary: .automatic)
        for row in 0..<Self.rows {
            try plain.append(row % 17 == 0 ? nil : Int64(row) * 3)
            try packed.append(Int64(row % 1_000))
            try cities.append(["Lagos", "Lima", "Oslo", "Pune"][row % 4])
            try names.append("name-\(row)")
        }
        try writer.finish()
        let reader = try ColFileReader.open(path)
        try reader.verify()
        let plainColumn = try reader.column("plain", as: Int64.self)
        let packedColumn = try reader.column("packed", as: Int64.self)
        for row in [0, 1, 17, 65_535, 65_536, 131_073, Self.rows - 1] {
            #expect(plainColumn[row] == (row % 17 == 0 ? nil : Int64(row) * 3), "plain row \(row)")
            #expect(packedColumn[row] == Int64(row % 1_000), "packed row \(row)")
        }
        #expect(try reader.info("plain").nullCount == (Self.rows + 16) / 17)
        #expect(try reader.dictionaryColumn("cities").string(at: 299_999) == "Pune")
        #expect(try reader.stringColumn("names").value(at: 299_999) == "name-299999")
        #expect(try reader.columns.map(\.physicalType) == [.int64, .int64, .dictionary, .string])
        return try Files.read(path)
    }

    @Test func theFileIsTheSameWhateverTheHeldBudget() throws {
        let folder = try TemporaryFolder("held-spill")
        let everything = try write(heldBytes: nil, in: folder)
        // Nothing held; about 1 MiB held, the rest in the scratch file (pieces of both kinds in
        // one spill, read back across the boundary).
        for heldBytes in [0, 1 << 20] {
            #expect(try write(heldBytes: heldBytes, in: folder) == everything, "held budget \(heldBytes)")
        }
    }
}
