/// Why one chunk of a cold column did not decode (Specification.md §13.3), whatever its codec.
enum ChunkDecodeFailure: Error {
    /// The stream or frame ended early or is corrupt; `reason` names the codec's status, e.g.
    /// `zlib status -3` or `zstd error 'Corrupted block detected'`.
    case corrupt(reason: String)
    /// The chunk decodes to more bytes than the room given.
    case tooLong
    /// The chunk decodes to fewer bytes than expected.
    case tooShort(decoded: Int)
    /// The stream or frame ends before the chunk's compressed bytes do.
    case strayBytes(count: Int)
}
