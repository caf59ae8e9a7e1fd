import ArgumentParser

/// How a harness worker holds the file.
enum HarnessMode: String, ExpressibleByArgument, CaseIterable, Sendable, Encodable {
    /// `mmap(MAP_SHARED)` through ``ColFileReader/open(_:options:)``: every worker reads the same
    /// page-cache pages, and compressed columns are decoded once into the shared cache.
    case shared
    /// The whole file read into the worker's own memory, compressed columns decoded privately: the
    /// baseline of a program that loads its data with `read()`.
    case copy
}
