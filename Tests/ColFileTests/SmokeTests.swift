import ColFile
import ColFileTestSupport
import Foundation
import Testing

@Test func smokeRoundTrip() throws {
    let folder = try TemporaryFolder("smoke")
    let path = folder.file("a.col")
    let writer = try ColFileWriter(path: path)
    writer.metadata = ["source": "smoke"]
    try writer.addColumn("x", [1.5, 2.5, -0.0] as [Double])
    try writer.addColumn("n", [Int64(1), nil, 3])
    try writer.addColumn("s", ["héllo", nil, ""])
    try writer.addColumn("b", [true, nil, false])
    try writer.addTensorColumn("t", shape: [2], [1, 2, 3, 4, 5, 6] as [Float])
    let stream = try writer.streamStringColumn("z")
    try stream.append("a"); try stream.append(nil); try stream.append("ccc")
    let ints = try writer.streamColumn("i", of: Int32.self)
    try ints.append(contentsOf: [7, 8]); try ints.append(nil)
    try writer.finish()
    let reader = try ColFileReader.open(path)
    #expect(reader.rowCount == 3)
    #expect(reader.metadata == ["source": "smoke"])
    #expect(Array(try reader.column("x", as: Double.self)) == [1.5, 2.5, -0.0])
    let n = try reader.column("n", as: Int64.self)
    #expect(n.value(at: 1) == nil && n.value(at: 2) == 3)
    let s = try reader.stringColumn("s")
    #expect(s.value(at: 0) == "héllo" && s.value(at: 1) == nil && s[2] == "")
    let b = try reader.boolColumn("b")
    #expect(b.value(at: 0) == true && b.value(at: 1) == nil && b.value(at: 2) == false)
    let t = try reader.tensorColumn("t", as: Float.self)
    #expect(t[1].map(Array.init) == [3, 4] && t[2, 1] == 6)
    let z = try reader.stringColumn("z")
    #expect((0..<3).map { z.value(at: $0) } == ["a", nil, "ccc"])
    let i = try reader.column("i", as: Int32.self)
    #expect((0..<3).map { i.value(at: $0) } == [7, 8, nil])
    #expect(try reader.columns.map(\.name) == ["x", "n", "s", "b", "t", "z", "i"])
    #expect(throws: ColFileError.self) { try reader.column("x", as: Float.self) }
}

@Test func smokeColdColumns() throws {
    let folder = try TemporaryFolder("cold")
    let path = folder.file("c.col")
    let writer = try ColFileWriter(path: path)
    writer.defaultCompression = .zlib(level: 6, chunkSize: 4096)
    let n = 100_000
    try writer.addColumn("i", (0..<n).map { Int64($0 % 100) })
    try writer.addColumn("s", (0..<n).map { $0 % 7 == 0 ? nil : "row \($0)" })
    let stream = try writer.streamColumn("d", of: Double.self)
    for start in stride(from: 0, to: n, by: 10_000) { try stream.append(contentsOf: (start..<start + 10_000).map(Double.init)) }
    try writer.finish()
    for policy in [ReaderOptions.ColdColumnPolicy.sharedCache, .privateMemory] {
        let reader = try ColFileReader.open(path, options: ReaderOptions(coldColumns: policy, cacheFolder: folder.file("cache")))
        #expect(reader.formatVersion == "1.1")
        #expect(try reader.info("i").codec == .zlib)
        let i = try reader.column("i", as: Int64.self)
        #expect(i[12_345] == 45)
        let s = try reader.stringColumn("s")
        #expect(s.value(at: 7) == nil && s.value(at: 99_999) == "row 99999")
        #expect(try reader.column("d", as: Double.self).sum() == Double(n * (n - 1) / 2))
        try reader.verify()
    }
    #expect(try folder.contents().contains("cache"))
    let refusing = try ColFileReader.open(path, options: ReaderOptions(coldColumns: .refuse))
    #expect(throws: ColFileError.self) { try refusing.column("i", as: Int64.self) }
}
