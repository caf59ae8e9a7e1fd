import ColFile
import ColFileTestSupport
import Testing

/// Errors from using the API wrongly (rather than from bad files): asking for a column that does
/// not exist or as the wrong type, and giving the writer values it cannot store.
@Suite struct APIErrorTests {
    private let path = RepositoryPaths.fixture("nulls.col")

    @Test func unknownColumnIsNoSuchColumn() throws {
        let reader = try ColFileReader.open(path)
        let expected = "\(path): column 'nope': no such column"
        for attempt: () throws -> Void in [
            { _ = try reader.info("nope") }, { _ = try reader.column("nope", as: Int8.self) },
            { _ = try reader.tensorColumn("nope", as: Float.self) }, { _ = try reader.boolColumn("nope") },
            { _ = try reader.stringColumn("nope") }, { _ = try reader.binaryColumn("nope") },
            { try reader.verify(column: "nope") },
            { _ = try reader.info("I8") }, { _ = try reader.info("i") },
        ] {
            let error = #expect(throws: ColFileError.self) { try attempt() }
            #expect(error?.code == .noSuchColumn)
            #expect(error?.description.hasSuffix(": no such column") == true)
            if error?.column == "nope" { #expect(error?.description == expected) }
        }
    }

    @Test(arguments: [
        ("i32", "a scalar column of Int64", "Int32"),
        ("tensor", "a scalar column of Float32", "a tensor column of Float32"),
        ("f32", "a tensor column of Float32", "Float32"),
        ("string", "a scalar column of Bool", "String"),
        ("binary", "String or LargeString", "Binary"),
        ("string", "Binary or LargeBinary", "String"),
    ])
    func wrongTypeIsTypeMismatch(column: String, expected: String, found: String) throws {
        let reader = try ColFileReader.open(path)
        let error = #expect(throws: ColFileError.self) {
            switch expected {
            case "a scalar column of Int64": _ = try reader.column(column, as: Int64.self)
            case "a scalar column of Float32": _ = try reader.column(column, as: Float.self)
            case "a tensor column of Float32": _ = try reader.tensorColumn(column, as: Float.self)
            case "a scalar column of Bool": _ = try reader.boolColumn(column)
            case "String or LargeString": _ = try reader.stringColumn(column)
            default: _ = try reader.binaryColumn(column)
            }
        }
        #expect(error?.code == .typeMismatch)
        #expect(error?.description
                == "\(path): column '\(column)': the column has another type (expected \(expected), found \(found))")
    }

    /// Each case misuses a fresh writer once; the writer must throw `invalidArgument`.
    static let misuses: [(String, @Sendable (ColFileWriter) throws -> Void)] = [
        ("empty name", { try $0.addColumn("", [1] as [Int8]) }),
        ("name over 1024 bytes", { try $0.addColumn(String(repeating: "é", count: 513), [1] as [Int8]) }),
        ("duplicate name", { try $0.addColumn("a", [1] as [Int8]); try $0.addColumn("a", [2] as [Int8]) }),
        ("row counts differ", { try $0.addColumn("a", [1] as [Int8]); try $0.addColumn("b", [1, 2] as [Int8]) }),
        ("validity of another length", { try $0.addColumn("a", [1, 2] as [Int8], validity: [true]) }),
        ("tensor without shape", { try $0.addTensorColumn("t", shape: [], [1] as [Float]) }),
        ("tensor dimension 0", { try $0.addTensorColumn("t", shape: [2, 0], [1] as [Float]) }),
        ("tensor rank 9", { try $0.addTensorColumn("t", shape: Array(repeating: 1, count: 9), [1] as [Float]) }),
        ("tensor values not whole rows", { try $0.addTensorColumn("t", shape: [3], [1, 2] as [Float]) }),
        ("streamed tensor values not whole rows", {
            try $0.streamColumn("t", of: Float.self, shape: [3]).append(contentsOf: [1, 2] as [Float])
        }),
        ("timestamp on Int32", { try $0.addColumn("a", [1] as [Int32], logicalType: .timestamp(unit: .seconds, timeZone: nil)) }),
        ("date on Int64", { try $0.addColumn("a", [1] as [Int64], logicalType: .date) }),
        ("unknown logical type", { try $0.addColumn("a", [1] as [Int8], logicalType: .unknown(code: 9)) }),
        ("time zone over 64 bytes", {
            try $0.addColumn("a", [1] as [Int64],
                             logicalType: .timestamp(unit: .seconds, timeZone: String(repeating: "z", count: 65)))
        }),
        ("bytes that are not UTF-8 in a String column", { try $0.streamStringColumn("s").append(bytes: [0x61, 0xFF]) }),
        ("empty metadata key", { try $0.addColumn("a", [1] as [Int8], metadata: ["": "v"]) }),
        ("empty file metadata key", { $0.metadata = ["": "v"]; try $0.finish() }),
    ]

    @Test(arguments: misuses.indices)
    func writerMisuseIsInvalidArgument(index: Int) throws {
        let (label, misuse) = APIErrorTests.misuses[index]
        let folder = try TemporaryFolder("misuse")
        let writer = try ColFileWriter(path: folder.file("m.col"))
        let error = #expect(throws: ColFileError.self, "\(label)") { try misuse(writer) }
        #expect(error?.code == .invalidArgument, "\(label): \(error?.description ?? "")")
        writer.abandon()
        #expect(try folder.contents() == [], "\(label)")
    }

    @Test func fileIDOfWrongLengthIsInvalidArgument() throws {
        let folder = try TemporaryFolder("misuse")
        let error = #expect(throws: ColFileError.self) {
            _ = try ColFileWriter(path: folder.file("m.col"), options: .init(fileID: [1, 2, 3]))
        }
        #expect(error?.code == .invalidArgument)
        #expect(try folder.contents() == [])
    }
}
