/// Appending zero bytes (padding, zeroed structures) by copying from one shared block of zeros.
///
/// `Array.append(contentsOf: repeatElement(0, count:))` goes a byte at a time through the
/// sequence: a directory of 50,000 columns (8 MB of zeroed records) and one padding per buffer
/// of a wide table made it a few percent of an import (BENCHMARKS.md, "Wide imports").
enum ZeroBytes {
    /// A block of zeros, as large as the largest buffer alignment (Specification.md §7).
    private static let block = [UInt8](repeating: 0, count: FormatConstants.largeBufferAlignment)

    /// Appends `count` zero bytes to `bytes`.
    static func append(_ count: Int, to bytes: inout [UInt8]) {
        precondition(count >= 0, "a negative count of zeros")
        var remaining = count
        while remaining > 0 {
            let piece = min(remaining, block.count)
            // As raw bytes: one copy, where the slice went through the generic append path
            // (a padding per buffer of a wide table: 2 % of an import of 50,000 columns).
            unsafe block.withUnsafeBytes { zeros in
                unsafe bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: zeros[..<piece]))
            }
            remaining -= piece
        }
    }
}
