import ArgumentParser

/// The options `colfile dataset create` and `append` share: how files become shards, and the
/// dataset's metadata.
struct DatasetWriteOptions: ParsableArguments {
    @Flag(help: "Copy each FILE into the dataset folder instead of hard-linking it (a link shares the file: it must then never be modified in place, which colfile writers never do).")
    var copy = false

    @Option(name: .customLong("metadata"), parsing: .singleValue,
            help: ArgumentHelp("Set a key of the dataset's metadata (repeatable); an empty VALUE after = removes the key on append.",
                               valueName: "key=value"))
    var entries: [String] = []

    func validate() throws {
        for entry in entries where !entry.contains("=") || entry.hasPrefix("=") {
            throw ValidationError("--metadata takes KEY=VALUE, not '\(entry)'")
        }
    }

    /// The metadata entries given, in order (an empty value as given).
    var metadata: [(key: String, value: String)] {
        entries.map { entry in
            let equals = entry.firstIndex(of: "=")!
            return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
        }
    }
}
