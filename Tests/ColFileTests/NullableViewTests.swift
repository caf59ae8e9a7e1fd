import ColFile
import ColFileTestSupport
import Testing

/// The column views as another package uses them: iterating a nullable view gives optionals
/// (nil for a null row, never a silent zero or empty string), the stored values are an explicit
/// choice, and printing a view shows what it is, not its memory.
@Suite struct NullableViewTests {
    private func writeFile(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("nulls.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("s", ["a", nil, ""] as [String?])
        try writer.addColumn("n", [Int64(7), nil, 0])
        try writer.addColumn("f", [1.5, nil, -0.0] as [Double?])
        try writer.addColumn("b", [true, nil, false] as [Bool?])
        try writer.addBinaryColumn("bin", [[1, 2], [], []], validity: [true, false, true])
        try writer.addTensorColumn("t", shape: [2], [Float(1), 2, 3, 4, 5, 6], validity: [true, false, true])
        try writer.finish()
        return path
    }

    @Test func iterationYieldsNilForNullRows() throws {
        let folder = try TemporaryFolder("nullable-views")
        let reader = try ColFileReader.open(try writeFile(in: folder))
        let strings = try reader.stringColumn("s")
        #expect(Array(strings) == ["a", nil, ""])
        var seen: [String?] = []
        for value in strings { seen.append(value) }
        #expect(seen == ["a", nil, ""])
        #expect(Array(try reader.column("n", as: Int64.self)) == [7, nil, 0])
        #expect(Array(try reader.column("f", as: Double.self)) == [1.5, nil, -0.0])
        #expect(Array(try reader.boolColumn("b")) == [true, nil, false])
        #expect(try reader.binaryColumn("bin").map { $0?.array } == [[1, 2], nil, []])
        #expect(try reader.tensorColumn("t", as: Float.self).map { $0.map(Array.init) } == [[1, 2], nil, [5, 6]])
    }

    @Test func storedValuesAreAnExplicitChoice() throws {
        let folder = try TemporaryFolder("nullable-stored")
        let reader = try ColFileReader.open(try writeFile(in: folder))
        #expect(try reader.stringColumn("s").storedValue(at: 1) == "")
        #expect(Array(try reader.column("n", as: Int64.self).values) == [7, 0, 0])
        #expect(try reader.boolColumn("b").storedValue(at: 1) == false)
        #expect(try reader.binaryColumn("bin").storedValue(at: 1).isEmpty)
        #expect(Array(try reader.tensorColumn("t", as: Float.self).storedValue(at: 1)) == [3, 4])
    }

    @Test func viewsDescribeThemselvesShortly() throws {
        let folder = try TemporaryFolder("nullable-descriptions")
        let path = try writeFile(in: folder)
        let reader = try ColFileReader.open(path)
        #expect("\(reader)" == "ColFileReader(path: \"\(path)\", rows: 3, columns: 6)")
        #expect("\(try reader.stringColumn("s"))" == "StringColumn(name: \"s\", rows: 3, nulls: 1)")
        #expect("\(try reader.column("n", as: Int64.self))" == "FixedWidthColumn<Int64>(name: \"n\", rows: 3, nulls: 1)")
        #expect("\(try reader.boolColumn("b"))" == "BoolColumn(name: \"b\", rows: 3, nulls: 1)")
        #expect("\(try reader.binaryColumn("bin"))" == "BinaryColumn(name: \"bin\", rows: 3, nulls: 1)")
        let tensor = try reader.tensorColumn("t", as: Float.self)
        #expect("\(tensor)" == "TensorColumn<Float>(name: \"t\", rows: 3, nulls: 1, shape: [2])")
        #expect("\(tensor.elements)" == "MappedArray<Float>(count: 6)")
        #expect("\(try reader.stringColumn("s").bytes(at: 0))" == "MappedBytes(count: 1)")
        #expect(String(reflecting: try reader.stringColumn("s")) == "StringColumn(name: \"s\", rows: 3, nulls: 1)")
    }
}
