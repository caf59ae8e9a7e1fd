import ArgumentParser
@testable import ColFileTool
import Testing

/// Every command names itself. ArgumentParser derives a missing name from the type's name through
/// `String(describing:)`, which reflects the type with `Mirror` at every start of the tool: two
/// unnamed subcommands cost 14 % of the instructions of `colfile --version` (BENCHMARKS.md).
@Suite struct CommandNameTests {
    @Test func everyCommandHasAnExplicitName() {
        var unnamed: [String] = []
        var pending: [any ParsableCommand.Type] = [ColFileCommand.self]
        while let command = pending.popLast() {
            if command.configuration.commandName == nil { unnamed.append("\(command)") }
            pending += command.configuration.subcommands
        }
        #expect(unnamed.isEmpty, "commands without a commandName: \(unnamed)")
    }
}
