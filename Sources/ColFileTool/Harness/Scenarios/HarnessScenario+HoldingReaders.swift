extension HarnessScenario {
    /// Runs `count` helper processes `colfile ARGUMENTS` at once, each to its end. A reader arrives at
    /// `holding`'s ``WorkerStage/ready`` when it prints `holding …`; one that ends without printing it
    /// leaves the barrier, so nobody waits for it. The republish scenarios start writing once every
    /// reader holds a version.
    ///
    /// - Returns: Every reader's outcome.
    static func holdingReaders(_ count: Int, _ arguments: [String], holding: StageBarrier) async throws
        -> [HelperProcess.Outcome] {
        try await withThrowingTaskGroup(of: HelperProcess.Outcome.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let outcome = try await HelperProcess.run(arguments) { line in
                        if line.hasPrefix("holding ") { await holding.arrive(at: .ready) }
                        return .proceed
                    }
                    if !outcome.lines.contains(where: { $0.hasPrefix("holding ") }) {
                        await holding.leave(after: nil)
                    }
                    return outcome
                }
            }
            var outcomes: [HelperProcess.Outcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
    }
}
