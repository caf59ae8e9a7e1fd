import ColFileTestSupport
import Foundation
import Testing

/// The fault scenarios of `colfile harness --scenario`, each with real processes. Each test has
/// its own files, so they may run in parallel with each other.
@Suite struct HarnessScenarioTests {
    private func scenario(_ name: String, _ arguments: [String]) async throws -> [String: Any] {
        let result = try await HarnessFixtures.run(["--scenario", name] + arguments)
        #expect(result.output.exitCode == 0, "\(name): \(result.output.standardError)")
        #expect(result.json["passed"] as? Bool == true, "\(name): \(result.json["failures"] ?? "no JSON")")
        return result.json
    }

    @Test func republishedVersionsAreAlwaysComplete() async throws {
        let folder = try TemporaryFolder("scenario-republish")
        let json = try await scenario("republish", ["--processes", "4", "--versions", "10", "--rows", "100000",
                                                    "--dir", folder.path])
        #expect(json["versionsSeenPerReader"] as? [Int] != nil)
        #expect((json["versionsSeenPerReader"] as? [Int])?.allSatisfy { $0 >= 2 && $0 <= 10 } == true)
        #expect(try folder.contents().isEmpty)
    }

    /// Readers of dataset version 1 (real processes holding its shards' mappings) read it whole
    /// while `colfile dataset` processes publish version 2, garbage-collect version 1 and publish 3.
    @Test func datasetReadersKeepTheirVersion() async throws {
        let folder = try TemporaryFolder("scenario-dataset-republish")
        let json = try await scenario("dataset-republish", ["--processes", "3", "--rows", "50000", "--dir", folder.path])
        #expect(json["heldVersionRemoved"] as? Bool == true)
        #expect(json["readers"] as? Int == 3)
        #expect(try folder.contents().isEmpty)
    }

    @Test(arguments: [false, true])
    func killedWritersLeaveTheOldOrTheNewVersion(namedTemporary: Bool) async throws {
        let folder = try TemporaryFolder("scenario-writer-killed")
        let seed = namedTemporary ? "7" : "11"
        let json = try await scenario("writer-killed", ["--runs", "12", "--rows", "100000", "--seed", seed,
                                                        "--dir", folder.path] + (namedTemporary ? ["--named-temporary"] : []))
        #expect(json["runs"] as? Int == 12, "seed \(seed)")
        #expect((json["keptPrevious"] as? Int ?? 0) + (json["publishedNew"] as? Int ?? 0) == 12, "seed \(seed)")
        #expect(json["leftoversFound"] as? Int == json["leftoversCleaned"] as? Int, "seed \(seed)")
        if !namedTemporary { #expect(json["leftoversFound"] as? Int == 0, "seed \(seed)") }
    }

    @Test func killingOneReaderDisturbsNoOther() async throws {
        let folder = try TemporaryFolder("scenario-reader-killed")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 4 << 20)
        let json = try await scenario("reader-killed", ["--processes", "4", "--seed", "3", "--checksum", "all", path])
        #expect(json["survivors"] as? Int == 3, "seed 3")
    }

    @Test func readersKeepReadingADeletedFile() async throws {
        let folder = try TemporaryFolder("scenario-unlinked")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 2 << 20)
        let json = try await scenario("unlinked", ["--processes", "4", "--checksum", "pages", "--dir", folder.path, path])
        #expect(json["sawDeletion"] as? Int == 4)
        #expect(try folder.contents() == ["data.col"])
    }

    /// Issue 15's proof at CI size (4 Mi rows, 71 MB: at 2 Mi rows, the fillers' own Pss noise under a
    /// parallel suite reached 0.12 of the data): 4 fillers, one killed mid-range, a new one resumes; the sealed
    /// file verifies and holds every value once (the scenario checks all of it and fails otherwise).
    /// BENCHMARKS.md has the same scenario at 1 GB.
    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "memory accounting: ASan's quarantine and shadow memory inflate every process's Pss"))
    func aKilledFillerIsResumedAndTheSealedDraftHoldsEveryValue() async throws {
        let folder = try TemporaryFolder("scenario-draft-fill")
        let json = try await scenario("draft-fill", ["--processes", "4", "--rows", "4194304", "--seed", "3",
                                                     "--dir", folder.path])
        #expect(json["fillers"] as? Int == 5)
        #expect((json["resumedRanges"] as? Int ?? 0) >= 1)
        #expect((json["sharingRatio"] as? Double ?? 99) <= 1.1)  // the scenario's own limit, checked there too
        #expect(try folder.contents().isEmpty)
    }

    /// Readers scanning a file truncated to half its size under them survive, each reports
    /// `fileChanged` and exits 0 (none dies by SIGBUS), and the path then reads as truncated.
    @Test func readersSurviveTheirFileBeingTruncated() async throws {
        let folder = try TemporaryFolder("scenario-truncated")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 2 << 20)
        let json = try await scenario("truncated", ["--processes", "4", "--checksum", "pages", "--dir", folder.path, path])
        #expect(json["sawChange"] as? Int == 4)
        #expect(json["reopened"] as? [String] == ["truncated", "truncated", "truncated", "truncated"])
        #expect(try folder.contents() == ["data.col"])
    }

    @Test(.disabled(if: Sanitizers.addressSanitizerIsLoaded, "memory accounting: ASan's quarantine and shadow memory inflate every process's Pss"))
    func thirtyTwoReadersAttachAtOnce() async throws {
        let folder = try TemporaryFolder("scenario-many")
        let path = try HarnessFixtures.floatFile(in: folder, rows: 8 << 20)
        let json = try await scenario("many-readers", ["--checksum", "pages", path])
        #expect(json["processes"] as? Int == 32)
        #expect(json["succeeded"] as? Int == 32)
        // The scenario itself fails above HarnessScenario.manyReadersRatioLimit (1.25): one shared
        // copy gives 1.00–1.02 on a quiet machine, 32 private copies would give 32. Under the
        // parallel suite each worker's Pss also moves by a fraction of a MiB (shared libraries,
        // allocator), ≈ 0.1 of this 64 MiB file over 32 workers (1.102 and 1.107 were seen).
        #expect((json["sharingRatio"] as? Double ?? 99) <= 1.25)
    }
}
