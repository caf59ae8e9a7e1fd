import SystemPackage

/// Putting an existing colfile file into a dataset's folder as a new shard: under a name no file
/// has, by a hard link where the file system allows it (no bytes copied), else by a copy made
/// inside the kernel and published like any written file (Specification.md §11, §14.5).
enum ShardPlacement {
    /// A fresh shard name: `part-` and 16 random hex digits, `.col`.
    static func freshName() -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "part-" + String(repeating: "0", count: 16 - random.count) + random + ".col"
    }

    /// The name a file placed from `source` gets first: its own file name when that can name a
    /// shard, else a fresh one.
    static func preferredName(for source: String) -> String {
        let name = source.split(separator: "/").last.map(String.init) ?? source
        return ManifestLayout.shardNameProblem(name) == nil ? name : freshName()
    }

    /// A name like `name` that no file in `folder` has now: `name` itself, else its stem with
    /// 8 random hex digits (`day-1a2b3c4d.col`).
    static func unusedName(like name: String, in folder: DatasetFolder) -> String {
        var candidate = name
        while (try? Syscalls.entryStatus(ofPath: folder.file(candidate))) != nil {
            let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            let suffix = "-" + String(repeating: "0", count: 8 - random.count) + random
            if let dot = name.lastIndex(of: "."), dot != name.startIndex {
                candidate = String(name[..<dot]) + suffix + String(name[dot...])
            } else {
                candidate = name + suffix
            }
        }
        return candidate
    }

    /// Places `source` in `folder` under a name no file had, linking it unless `copying` (or
    /// when the link is impossible: another file system, a file system without hard links).
    ///
    /// - Returns: The name it has in the folder.
    /// - Throws: ``ColFileError/Code/io``.
    static func place(_ source: String, in folder: DatasetFolder, copying: Bool, syncsToDisk: Bool) throws -> String {
        let preferred = preferredName(for: source)
        for _ in 0..<16 {
            let name = unusedName(like: preferred, in: folder)
            let target = folder.file(name)
            if !copying {
                do throws(Errno) {
                    try Syscalls.link(source, to: target)
                    return name
                } catch .fileExists {
                    continue  // taken meanwhile: another name
                } catch .improperLink, .notPermitted, .tooManyLinks, .notSupported, .noFunction {
                    // Another file system, or one without hard links: copy instead.
                } catch {
                    throw ColFileError(.io, path: target, message: "cannot link \(source) into the dataset", errno: error)
                }
            }
            do {
                try copy(source, to: target, syncsToDisk: syncsToDisk)
                return name
            } catch let error as ColFileError where error.errno == .fileExists {
                continue
            }
        }
        throw ColFileError(.io, path: folder.path, message: "cannot find an unused name for \(source)", errno: .fileExists)
    }

    /// Copies `source` into a temporary file beside `target` (`sendfile`, inside the kernel) and
    /// publishes it at `target` unless a file has that name.
    private static func copy(_ source: String, to target: String, syncsToDisk: Bool) throws {
        let input = try ColFileReader.openForReading(source)
        try input.closeAfter {
            let size: Int
            do throws(Errno) {
                size = try Syscalls.status(input).size
            } catch {
                throw ColFileError(.io, path: source, message: "cannot read the file", errno: error)
            }
            let temporary = try TemporaryFile(target: target)
            var copied = 0
            while copied < size {
                let count: Int
                do throws(Errno) {
                    count = try Syscalls.copy(from: input, at: copied, to: temporary.fd, length: size - copied)
                } catch {
                    temporary.discard()
                    throw ColFileError(.io, path: target, message: "cannot copy \(source) into the dataset", errno: error)
                }
                guard count > 0 else {
                    temporary.discard()
                    throw ColFileError(.io, path: source, message: "the file became shorter while it was copied",
                                       errno: .ioError)
                }
                copied += count
            }
            try temporary.publish(durable: syncsToDisk, replacing: false)
        }
    }
}
