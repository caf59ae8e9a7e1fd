import ColFile
import ColFileTestSupport
import Foundation
import Testing

@Suite struct HeadStatsVerifyTests {
    @Test func headTable() async throws {
        let folder = try TemporaryFolder("cli-head")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.colfile("head", path)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.standardOutput == """
               id    score  name                            ok     day         seen
            Int64  Float64  String                          Bool   Date        Timestamp(ms, UTC)
                1      2.5  ann                             true   2024-01-02  2024-01-02T14:30:00.000Z
                2        ∅  bob, jr                         false  2024-02-29  ∅
                3  -1000.0  ∅                               true   1999-12-31  2000-01-01T00:00:00.250Z
                4    0.125  a very long name that goes on…  ∅      2024-01-02  2024-01-02T14:30:00.000Z
            (4 rows, 6 columns)

            """)
    }

    @Test func headRowsColumnsAndFormats() async throws {
        let folder = try TemporaryFolder("cli-head-options")
        let path = try await CSVFixtures.importSmall(in: folder)
        let table = try await ProcessRunner.colfile("head", "-n", "2", "--columns", "name,id", path)
        #expect(table.standardOutput == """
            name        id
            String   Int64
            ann          1
            bob, jr      2
            (2 of 4 rows, 2 columns)

            """)
        let csv = try await ProcessRunner.colfile("head", "-n", "1", "--format", "csv", "--columns", "id,name", path)
        #expect(csv.standardOutput == "id,name\n1,ann\n")
        let jsonl = try await ProcessRunner.colfile("head", "-n", "1", "--format", "jsonl", "--columns", "ok", path)
        #expect(jsonl.standardOutput == "{\"ok\":true}\n")
    }

    @Test func statsTable() async throws {
        let folder = try TemporaryFolder("cli-stats")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.colfile("stats", path)
        #expect(result.exitCode == 0 && result.standardError.isEmpty)
        #expect(result.standardOutput == """
            \(path): 4 rows, 6 columns
            column  type                nulls                       min                       max       sum                mean  true  min len  max len  total len
            id      Int64                   0                         1                         4        10                 2.5
            score   Float64                 1                   -1000.0                       2.5  -997.375  -332.4583333333333
            name    String                  1                                                                                                3       43         53
            ok      Bool                    1                                                                                       2
            day     Date                    0                1999-12-31                2024-02-29
            seen    Timestamp(ms, UTC)      1  2000-01-01T00:00:00.250Z  2024-01-02T14:30:00.000Z

            """)
    }

    /// On a terminal (here `script`'s pseudo-terminal) stats ends with how fast it scanned.
    @Test func statsOnATerminalTellsTheScanSpeed() async throws {
        let folder = try TemporaryFolder("cli-stats-tty")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.run("/usr/bin/script", [
            "-q", "-e", "-c", "\"\(RepositoryPaths.executable("colfile"))\" stats --columns id \"\(path)\"", "/dev/null",
        ])
        #expect(result.exitCode == 0)
        let last = result.standardOutput.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        #expect(last.hasPrefix("(scanned 32 B in place in ") && last.hasSuffix(" GB/s)"), "\(last)")
    }

    @Test func statsJSON() async throws {
        let folder = try TemporaryFolder("cli-stats-json")
        let path = try await CSVFixtures.importSmall(in: folder)
        let result = try await ProcessRunner.colfile("stats", "--json", "--columns", "score,name,ok", path)
        #expect(result.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 4)
        let columns = try #require(object["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["score", "name", "ok"])
        #expect(columns[0]["min"] as? Double == -1000 && columns[0]["sum"] as? Double == -997.375)
        #expect(columns[0]["nulls"] as? Int == 1)
        #expect(columns[1]["maxLength"] as? Int == 43 && columns[1]["minLength"] as? Int == 3)
        #expect(columns[1]["totalLength"] as? Int == 53)
        #expect(columns[2]["trueCount"] as? Int == 2)
    }

    /// The library's statistics against sums computed one by one, with nulls, over more rows
    /// than one SIMD block and an odd tail.
    @Test func statisticsMatchASimpleLoop() throws {
        let folder = try TemporaryFolder("stats-library")
        let path = folder.file("s.col")
        var random = SplitMix64(seed: 7)
        let doubles: [Double?] = (0..<10_007).map { $0 % 13 == 5 ? nil : Double.random(in: -1000...1000, using: &random) }
        let ints: [Int64?] = (0..<10_007).map { $0 % 7 == 1 ? nil : Int64.random(in: .min / 4 ... .max / 4, using: &random) }
        let bytes: [UInt8] = (0..<10_007).map { _ in UInt8.random(in: 0...255, using: &random) }
        let bools: [Bool?] = (0..<10_007).map { $0 % 11 == 3 ? nil : Bool.random(using: &random) }
        let floats: [Float?] = (0..<10_007).map { $0 % 17 == 2 ? nil : $0 % 101 == 0 ? .nan : Float.random(in: -5...5, using: &random) }
        let writer = try ColFileWriter(path: path)
        try writer.addColumn("d", doubles)
        try writer.addColumn("i", ints)
        try writer.addColumn("u", bytes)
        try writer.addColumn("b", bools)
        try writer.addColumn("f", floats)
        // No nulls: the SIMD path over whole runs (a NaN inside it, extremes at both ends of a block).
        var plain = (0..<10_007).map { _ in Double.random(in: -1...1, using: &random) }
        plain[500] = .nan
        plain[4_097] = -7
        plain[10_006] = 9
        try writer.addColumn("p", plain)
        // A tensor column: every element of the non-null rows counts, the mean divides by elements.
        let tensor = (0..<(10_007 * 3)).map { Int32($0 % 1000) - 500 }
        let tensorValidity = (0..<10_007).map { $0 % 9 != 4 }
        try writer.addTensorColumn("t", shape: [3], tensor, validity: tensorValidity)
        try writer.finish()
        let reader = try ColFileReader.open(path)
        let d = try reader.statistics("d")
        let valid = doubles.compactMap { $0 }
        guard case .floats(let min, let max, let sum) = d.values else { Issue.record("not floats"); return }
        #expect(min == valid.min() && max == valid.max() && abs(sum - valid.reduce(0, +)) < 1e-6)
        #expect(d.nullCount == doubles.count - valid.count)
        let validInts = ints.compactMap { $0 }
        #expect(try reader.statistics("i").values == .integers(min: Int128(validInts.min()!), max: Int128(validInts.max()!),
                                                               sum: validInts.reduce(Int128(0)) { $0 + Int128($1) }))
        #expect(try reader.statistics("u").values == .integers(min: Int128(bytes.min()!), max: Int128(bytes.max()!),
                                                               sum: bytes.reduce(Int128(0)) { $0 + Int128($1) }))
        #expect(try reader.statistics("b").values == .bools(trueCount: bools.count { $0 == true }))
        // NaN is left out of min and max (and makes the sum NaN).
        let numbers = floats.compactMap { $0 }.filter { !$0.isNaN }
        guard case .floats(let fMin, let fMax, let fSum) = try reader.statistics("f").values else {
            Issue.record("not floats")
            return
        }
        #expect(fMin == Double(numbers.min()!) && fMax == Double(numbers.max()!) && fSum.isNaN)
        guard case .floats(let pMin, let pMax, let pSum) = try reader.statistics("p").values else {
            Issue.record("not floats")
            return
        }
        #expect(pMin == -7 && pMax == 9 && pSum.isNaN)
        let elements = (0..<10_007).filter { tensorValidity[$0] }.flatMap { tensor[($0 * 3)..<($0 * 3 + 3)] }
        let t = try reader.statistics("t")
        #expect(t.valuesPerRow == 3)
        #expect(t.values == .integers(min: Int128(elements.min()!), max: Int128(elements.max()!),
                                      sum: elements.reduce(Int128(0)) { $0 + Int128($1) }))
        #expect(t.mean == Double(elements.reduce(0) { $0 + Int($1) }) / Double(elements.count))
    }

    @Test func verifyGoodAndCorruptFiles() async throws {
        let folder = try TemporaryFolder("cli-verify")
        let path = try await CSVFixtures.importSmall(in: folder)
        let good = try await ProcessRunner.colfile("verify", path)
        #expect(good.exitCode == 0 && good.standardError.isEmpty)
        #expect(good.outputLines.count == 1 && good.standardOutput.hasPrefix("\(path): ok (6 columns, 4 rows, "))
        let quiet = try await ProcessRunner.colfile("verify", "--quiet", path)
        #expect(quiet.exitCode == 0 && quiet.standardOutput.isEmpty)

        let reader = try ColFileReader.open(path)
        let values = try #require(try reader.info("id").buffers.first { $0.role == .values })
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(values.offset) + 3] ^= 0x40
        let corrupt = try CSVFixtures.write(bytes: bytes, as: "corrupt.col", in: folder)
        let bad = try await ProcessRunner.colfile("verify", corrupt)
        #expect(bad.exitCode == 1)
        #expect(bad.standardOutput.isEmpty)
        #expect(bad.errorLines.count == 1)
        #expect(bad.standardError.hasPrefix("colfile: \(corrupt): column 'id': values buffer checksum mismatch at offset \(values.offset)"))
    }
}
