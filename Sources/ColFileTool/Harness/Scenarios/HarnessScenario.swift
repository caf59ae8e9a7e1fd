import ArgumentParser

/// The fault scenarios `colfile harness --scenario NAME` runs, each with real processes.
enum HarnessScenario: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// A writer publishes new versions while readers reopen the file.
    case republish
    /// Writers killed with SIGKILL at seeded random moments.
    case writerKilled = "writer-killed"
    /// One reader killed mid-scan.
    case readerKilled = "reader-killed"
    /// The file deleted while readers map it.
    case unlinked
    /// The file truncated while readers scan it.
    case truncated
    /// 32 readers attach at once.
    case manyReaders = "many-readers"
    /// Workers fill a draft by claiming ranges; one is killed mid-range and another resumes.
    case draftFill = "draft-fill"
    /// Readers hold a dataset version while newer ones are published and the old one collected.
    case datasetRepublish = "dataset-republish"

    /// Whether the scenario writes its own files (and needs no FILE argument).
    var makesItsOwnFile: Bool {
        self == .republish || self == .writerKilled || self == .draftFill || self == .datasetRepublish
    }

    /// Runs the scenario with `command`'s options.
    func run(_ command: HarnessCommand) async throws -> ScenarioResult {
        switch self {
        case .republish: try await Self.republish(command)
        case .writerKilled: try await Self.writerKilled(command)
        case .readerKilled: try await Self.readerKilled(command, file: command.file!)
        case .unlinked: try await Self.unlinked(command, file: command.file!)
        case .truncated: try await Self.truncated(command, file: command.file!)
        case .manyReaders: try await Self.manyReaders(command, file: command.file!)
        case .draftFill: try await Self.draftFill(command)
        case .datasetRepublish: try await Self.datasetRepublish(command)
        }
    }
}
