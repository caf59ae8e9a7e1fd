import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile inspect --schema` and the `--schema` types inference never picks: an export imported
/// with the printed schema gives back every column with its type and values.
@Suite struct SchemaRoundTripTests {
    /// Writes a file with one column of every type CSV can carry, with nulls and edge values.
    private func writeEveryType(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("every.col")
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("i8", [Int8.min, nil, Int8.max, 0] as [Int8?])
        try writer.addColumn("u64", [UInt64.max, 0, nil, 1 << 63] as [UInt64?])
        try writer.addColumn("f16", [Float16(0.1), -.infinity, nil, Float16.leastNonzeroMagnitude] as [Float16?])
        try writer.addColumn("f32", [Float(1) / 3, .nan, -0.0, nil] as [Float?])
        try writer.addColumn("f64", [Double.pi, .greatestFiniteMagnitude, nil, .leastNonzeroMagnitude] as [Double?])
        try writer.addColumn("i32", [Int32.min, nil, 7, -1] as [Int32?])
        try writer.addColumn("flag", [true, nil, false, true] as [Bool?])
        try writer.addColumn("text", ["", "NA", nil, "a, \"b\"\nc é"] as [String?])
        try writer.addBinaryColumn("blob", [[], nil, [0, 255, 10, 44], Array("NA".utf8)] as [[UInt8]?])
        try writer.addTensorColumn("vec", shape: [2, 2], [Float(1.5), -2, 0, .infinity] + [Float](repeating: 0, count: 4)
                                   + [0.25, 0.5, 0.75, 1] + [-1, -2, -3, -4], validity: [true, false, true, true])
        try writer.addTensorColumn("ids", shape: [3], [Int64.min, 0, Int64.max, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        try writer.addColumn("ns", [1_700_000_000_123_456_789, -1, nil, 0] as [Int64?],
                             logicalType: .timestamp(unit: .nanoseconds, timeZone: nil))
        try writer.addColumn("sec", [0, nil, -62_135_596_800, 253_402_300_799] as [Int64?],
                             logicalType: .timestamp(unit: .seconds, timeZone: "UTC"))
        try writer.addColumn("day", [Int32.min, -719_528, nil, Int32.max] as [Int32?], logicalType: .date)
        try writer.finish()
        return path
    }

    @Test func inspectPrintsTheSchemaOption() async throws {
        let folder = try TemporaryFolder("cli-inspect-schema")
        let path = try writeEveryType(in: folder)
        let result = try await ProcessRunner.colfile("inspect", "--schema", path)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.outputLines == ["i8:int8,u64:uint64,f16:float16,f32:float32,f64:float64,i32:int32,flag:bool,"
            + "text:string,blob:binary,vec:float32[2x2],ids:int64[3],ns:timestamp(ns),sec:timestamptz(s),day:date"])
    }

    @Test func exportThenImportWithTheSchemaGivesBackEveryColumn() async throws {
        let folder = try TemporaryFolder("cli-schema-roundtrip")
        let path = try writeEveryType(in: folder)
        let tool = RepositoryPaths.executable("colfile")
        let result = try await ProcessRunner.run("/bin/bash", [
            "-c", "\"$0\" export \"$1\" | \"$0\" import -q --schema \"$(\"$0\" inspect --schema \"$1\")\" - \"$2\"",
            tool, path, folder.file("back.col"),
        ])
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        let before = try ColFileReader.open(path)
        let after = try ColFileReader.open(folder.file("back.col"))
        #expect(try after.columns.map(\.physicalType) == before.columns.map(\.physicalType))
        #expect(try after.columns.map(\.logicalType) == before.columns.map(\.logicalType))
        #expect(try after.columns.map(\.shape) == before.columns.map(\.shape))
        #expect(try after.columns.map(\.nullCount) == before.columns.map(\.nullCount))
        let sums = [try await ProcessRunner.colfile("checksum", path),
                    try await ProcessRunner.colfile("checksum", folder.file("back.col"))]
        #expect(sums[0].exitCode == 0 && sums[0].standardOutput == sums[1].standardOutput)
    }

    @Test(arguments: [
        ("int8", "128", "'128' is not a valid int8"),
        ("uint16", "-1", "'-1' is not a valid uint16"),
        ("float32", "1e39", "'1e39' is not a valid float32"),
        ("timestamp(s)", "2024-01-01T00:00:00.5Z", "'2024-01-01T00:00:00.5Z' has more digits of a second than timestamp(s) holds"),
        ("timestamp(ns)", "2300-01-01T00:00:00", "'2300-01-01T00:00:00' is out of the range of timestamp(ns)"),
        ("binary", "not base64!", "'not base64!' is not a valid binary"),
        ("int64[3]", "\"[1,2]\"", "'[1,2]' is not a valid int64[3]"),
        ("int64[3]", "\"[1,2,x]\"", "'[1,2,x]' is not a valid int64[3]"),
        ("float32[2]", "1.5", "'1.5' is not a valid float32[2]"),
        ("int64", "\"x\ny\r\"", "'x\\ny\\r' is not a valid int64"),  // one line: CR and LF escaped
    ])
    func valueThatDoesNotFitTheSchemaTypeIsAnError(type: String, field: String, message: String) async throws {
        let folder = try TemporaryFolder("cli-schema-misfit")
        let input = try CSVFixtures.write("id,v\n1,\(field)\n", in: folder)
        let result = try await ProcessRunner.colfile("import", "--schema", "v:\(type)", input, folder.file("out.col"))
        #expect(result.exitCode == 1)
        #expect(result.errorLines == ["colfile: \(input): row 1, column 'v': \(message) (the type given by --schema)"])
    }

    @Test func tensorFieldsAllowSpacesAndNulls() async throws {
        let folder = try TemporaryFolder("cli-schema-tensor")
        let input = try CSVFixtures.write("v\n\"[1, 2 ,3]\"\n\n\" [ -4,5,6 ] \"\n", in: folder)
        let result = try await ProcessRunner.colfile("import", "-q", "--schema", "v:int16[3]", input, folder.file("out.col"))
        #expect(result.exitCode == 0)
        let column = try ColFileReader.open(folder.file("out.col")).tensorColumn("v", as: Int16.self)
        #expect(column[0].map(Array.init) == [1, 2, 3] && column[1] == nil && column[2].map(Array.init) == [-4, 5, 6])
    }

    @Test(arguments: ["v:int128", "v:float32[0]", "v:float32[2x]", "v:timestamp(h)", "v:bool[2]", "v"])
    func malformedSchemaTypeIsAUsageError(schema: String) async throws {
        let folder = try TemporaryFolder("cli-schema-malformed")
        let input = try CSVFixtures.write("v\n1\n", in: folder)
        let result = try await ProcessRunner.colfile("import", "--schema", schema, input, folder.file("out.col"))
        #expect(result.exitCode == 2)
        #expect(result.errorLines.first?.hasPrefix("colfile: --schema: '\(schema)' is not NAME:TYPE") == true)
    }
}
