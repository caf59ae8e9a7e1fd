/// The positions a damage sweep visits (``SweepTests``, ``ColdSweepTests``): every one in a plain
/// build, which CI runs first; under AddressSanitizer, where each damaged file costs about ten times
/// as much, every ``stride``-th, so the sanitized run checks memory safety on a quarter of the
/// damage and CI stays short. The seed (`COLFILE_TEST_SEED`) picks which quarter.
public enum SweepSample {
    /// 1 in a plain build, 4 under AddressSanitizer.
    public static let stride = Sanitizers.addressSanitizerIsLoaded ? 4 : 1

    /// The members of `positions` this run visits: those congruent to the seed modulo ``stride``.
    public static func positions(_ positions: some Sequence<Int>) -> [Int] {
        let residue = Int(TestSeed.value % UInt64(stride))
        return positions.filter { $0 % stride == residue }
    }
}
