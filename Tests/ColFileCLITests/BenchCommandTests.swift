import ColFileTestSupport
import Foundation
import Testing

/// `colfile bench` runs end to end on a tiny size and reports every figure of issue 6. Speeds are
/// never asserted here (BENCHMARKS.md holds them): only that each key is present and positive.
@Suite struct BenchCommandTests {
    /// The figures `colfile bench --json` must report, each also as `<name>Best`.
    static let figures = [
        "writeGBps", "writeNamedGBps", "writeSyncedGBps", "attachMicrosSmall", "attachMicrosLarge", "scanGBps", "arrayScanGBps",
        "memcpyGBps", "firstTouchMillis", "firstTouchPrefaultMillis", "stringScanGBps", "stringViewScanGBps",
        "stringRowLoopGBps", "stringStatsGBps", "stringStatsRowLoopGBps", "stringTotalNoNullsNanos",
        "zlibDecodeMBps", "zlibReferenceMBps", "zlibDecodeParallelMBps", "zlibCompressionRatio", "zlibRandomRowMicros",
        "zstdDecodeMBps", "zstdReferenceMBps", "zstdDecodeParallelMBps", "zstdCompressionRatio",
        "zstd1DecodeMBps", "zstd1CompressionRatio", "zstd9DecodeMBps", "zstd9CompressionRatio",
        "coldRandomRowMicros", "coldSharedAttachMicros",
        "coldSharedFirstAttachMillis", "coldDecodeAgainMillis", "sharingRatio", "coldSharingRatio",
    ]

    @Test func smallRunReportsEveryFigure() async throws {
        let folder = try TemporaryFolder("cli-bench")
        let result = try await ProcessRunner.colfile("bench", "--rows", "100000", "--repetitions", "1",
                                                     "--dir", folder.path, "--json")
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
            as? [String: Any])
        for name in Self.figures {
            for key in [name, name + "Best"] {
                let value = object[key] as? Double
                // At 100,000 rows (800 KB touched) a sharing ratio is within the noise of the
                // workers' Pss (shared libraries, allocator), which other tests' processes move:
                // it can come out negative. Only its presence is checked; the harness tests check
                // sharing on data large enough to measure.
                let isRatio = name.hasSuffix("SharingRatio") || name == "sharingRatio"
                #expect(value.map { $0.isFinite && (isRatio || $0 > 0) } == true, "\(key) = \(String(describing: object[key]))")
            }
        }
        let ratios = try #require(object["ratios"] as? [String: Double])
        #expect(!ratios.isEmpty && ratios.values.allSatisfy { $0 > 0 })
        #expect(object["rows"] as? Int == 100_000)
        #expect((object["machine"] as? String)?.isEmpty == false)
        #expect((object["build"] as? String)?.hasSuffix("build") == true)
        // Nothing is left behind in --dir without --keep.
        #expect(try folder.contents() == [])
    }

    /// `--strings-only` reports the string figures and nothing else.
    @Test func stringsOnlyReportsTheStringFigures() async throws {
        let folder = try TemporaryFolder("cli-bench-strings")
        let result = try await ProcessRunner.colfile("bench", "--strings-only", "--rows", "1000", "--repetitions", "1",
                                                     "--dir", folder.path, "--json")
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
            as? [String: Any])
        let strings = Self.figures.filter { $0.hasPrefix("string") }
        for name in strings { #expect((object[name] as? Double).map { $0 > 0 } == true, "\(name)") }
        #expect(object["scanGBps"] == nil && object["sharingRatio"] == nil)
        #expect(try folder.contents() == [])
    }

    /// `--write-only --new-files` reports the three write figures and nothing else, each write
    /// making a new file (the previous one removed untimed), and leaves nothing in --dir.
    @Test func writeOnlyWithNewFilesReportsTheWriteFigures() async throws {
        let folder = try TemporaryFolder("cli-bench-writes")
        let result = try await ProcessRunner.colfile("bench", "--write-only", "--new-files", "--rows", "1000",
                                                     "--repetitions", "2", "--dir", folder.path, "--json")
        #expect(result.exitCode == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
            as? [String: Any])
        for name in ["writeGBps", "writeNamedGBps", "writeSyncedGBps"] {
            #expect((object[name] as? Double).map { $0 > 0 } == true, "\(name)")
        }
        #expect(object["attachMicrosSmall"] == nil && object["scanGBps"] == nil)
        #expect(try folder.contents() == [])
    }
}
