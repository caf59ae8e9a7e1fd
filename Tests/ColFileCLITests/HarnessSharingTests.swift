import ColFile
import ColFileTestSupport
import Foundation
import Testing

/// `colfile harness` measures, with real processes and the kernel's Pss, that readers of a mapped
/// file share one copy and readers of private copies do not.
@Suite struct HarnessSharingTests {
    /// 4 workers on a 256 MiB file: shared ≈ one copy, copy ≈ four; every checksum agrees.
    /// Both runs are in one test, one after the other: two runs on one file at once would share
    /// its pages between eight processes.
    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "memory accounting: ASan's quarantine and shadow memory inflate every process's Pss"))
    func sharedModeHoldsOneCopyAndCopyModeFour() async throws {
        let folder = try TemporaryFolder("harness-256")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 32 << 20)
        let shared = try await HarnessFixtures.run(["--processes", "4", "--checksum", "pages", path])
        let copy = try await HarnessFixtures.run(["--processes", "4", "--checksum", "pages", "--mode", "copy", path])

        #expect(shared.output.exitCode == 0, "\(shared.output.standardError)")
        #expect(copy.output.exitCode == 0, "\(copy.output.standardError)")
        for (json, mode) in [(shared.json, "shared"), (copy.json, "copy")] {
            #expect(json["processes"] as? Int == 4)
            #expect(json["mode"] as? String == mode)
            #expect(json["checksumsAgree"] as? Bool == true)
            #expect((json["fileBytes"] as? Int ?? 0) >= 256 << 20)
            #expect(json["bytesTouched"] as? Int == 256 << 20)
            let workers = try #require(json["workers"] as? [[String: Any]])
            #expect(workers.count == 4)
            for key in ["pid", "openMicros", "scanMillis", "pssBeforeKiB", "rssKiB", "pssKiB", "sharedCleanKiB",
                        "privateCleanKiB", "privateDirtyKiB", "checksum"] {
                #expect(workers.allSatisfy { $0[key] != nil }, "workers lack \(key)")
            }
            let total = workers.reduce(0) { $0 + ($1["pssKiB"] as? Int ?? 0) }
            #expect(json["totalPssKiB"] as? Int == total)
        }
        let sharedRatio = try #require(shared.json["sharingRatio"] as? Double)
        let copyRatio = try #require(copy.json["sharingRatio"] as? Double)
        #expect(sharedRatio > 0.9 && sharedRatio <= 1.05, "shared sharing ratio \(sharedRatio)")
        #expect(copyRatio >= 3.5, "copy sharing ratio \(copyRatio)")
        let sharedChecksum = (shared.json["workers"] as? [[String: Any]])?.first?["checksum"] as? String
        let copyChecksum = (copy.json["workers"] as? [[String: Any]])?.first?["checksum"] as? String
        #expect(sharedChecksum != nil && sharedChecksum == copyChecksum)
    }

    /// 4 workers read one compressed column with a fresh cache folder: one decode, one cache
    /// entry, and summed Pss shows one decoded copy.
    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "memory accounting: ASan's quarantine and shadow memory inflate every process's Pss"))
    func coldColumnIsDecodedOnceAndShared() async throws {
        let folder = try TemporaryFolder("harness-cold")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 8 << 20, compressed: true)
        let cache = folder.file("cache")
        let result = try await HarnessFixtures.run(["--processes", "4", "--checksum", "pages", "--cache-dir", cache,
                                                    "--columns", "x", path])
        #expect(result.output.exitCode == 0, "\(result.output.standardError)")
        #expect(result.json["checksumsAgree"] as? Bool == true)
        #expect(result.json["bytesTouched"] as? Int == 64 << 20)
        #expect((result.json["fileBytes"] as? Int ?? .max) < 1 << 20)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".colcache") }
        #expect(entries.count == 1, "cache entries: \(entries)")
        let ratio = try #require(result.json["sharingRatio"] as? Double)
        // The claim is one decoded copy, not four (4 would be ≈ 4.0). The decoding worker also
        // holds the compressed pages and transient private memory (zlib state, staging), and total
        // Pss moves with the shared libraries' share while other tests start processes; alone this
        // measures about 1.00; under the parallel suite it sometimes exceeded 1.05, so the bound is 1.5.
        #expect(ratio > 0.5 && ratio <= 1.5, "sharing ratio \(ratio)")
    }

    @Test func tableShowsEveryWorkerAndTheTotals() async throws {
        let folder = try TemporaryFolder("harness-table")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 1 << 16)
        let result = try await ProcessRunner.colfile("harness", "--processes", "2", path)
        #expect(result.exitCode == 0)
        #expect(result.outputLines.first == "colfile harness: 2 processes, mode shared, \(path) (525 kB)")
        #expect(result.outputLines.filter { $0.hasSuffix(result.outputLines[2].suffix(16)) }.count == 2)
        #expect(result.outputLines.contains { $0.hasPrefix("  total Pss ") && $0.contains("sharing ratio") })
        #expect(result.outputLines.last == "  checksums agree")
    }

    @Test func failingWorkersMakeTheHarnessFail() async throws {
        let folder = try TemporaryFolder("harness-fail")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 1000)
        let result = try await HarnessFixtures.run(["--processes", "2", "--columns", "nope", path])
        #expect(result.output.exitCode == 3)
        #expect(result.json["checksumsAgree"] as? Bool == false)
        #expect(result.output.errorLines.count == 1)
        #expect(result.output.standardError.contains("column 'nope': no such column"))
    }
}
