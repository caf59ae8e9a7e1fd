import ColFileTestSupport
import Testing

/// Every reading subcommand on every broken fixture: the tool never dies of a signal, and a
/// failure is exit status 1 or 2 with exactly one line on stderr that names the file.
@Suite struct BrokenFileCommandTests {
    private static let commands: [[String]] = [
        ["inspect"], ["inspect", "--json"], ["inspect", "--schema"], ["head"], ["stats"], ["export"], ["verify"],
    ]

    @Test(arguments: BrokenFixtures.names)
    func readingCommandsFailCleanly(name: String) async throws {
        let fixture = BrokenFixtures.named(name)
        let cache = try TemporaryFolder("cli-broken-cache")
        for command in Self.commands {
            // Cold columns decode into a cache folder of this test's own.
            let result = try await ProcessRunner.run("/usr/bin/env", [
                "COLFILE_CACHE_DIR=\(cache.path)", RepositoryPaths.executable("colfile"),
            ] + command + [fixture.path])
            #expect([0, 1, 2].contains(result.exitCode), "\(name) \(command): \(result.exitCode)")
            guard result.exitCode != 0 else { continue }
            #expect(result.errorLines.count == 1, "\(name) \(command): \(result.standardError)")
            #expect(result.standardError.hasPrefix("colfile: \(fixture.path): "), "\(name) \(command)")
        }
        // `verify` finds every fixture's problem (each breaks a rule of the specification).
        let verify = try await ProcessRunner.run("/usr/bin/env", [
            "COLFILE_CACHE_DIR=\(cache.path)", RepositoryPaths.executable("colfile"), "verify", fixture.path,
        ])
        #expect(verify.exitCode == 1, "\(name): \(verify.standardError)")
    }
}
