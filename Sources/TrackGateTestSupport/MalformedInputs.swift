import Foundation

/// Seeded mutations of good audio files: the header fields and truncation
/// points that broken downloads, streaming writers and faulty tools produce.
///
/// The same seed gives the same files, so a failure found once is found again.
public enum MalformedInputs {
    /// One damaged file: its bytes and what was done to them.
    public struct Case: Sendable {
        public let name: String
        public let bytes: Data
        public let mutation: String
    }

    /// Values a 32-bit size or count field takes when something went wrong:
    /// unknown (0, all ones), sign-bit edges, one.
    static let specialWords: [UInt32] = [0, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 1, 0xFFFF]

    /// `truncations` cuts (half of them inside the first 256 bytes, where the
    /// headers are) and `mutations` header damages of `good`, named `base-…`.
    public static func cases(of good: Data, base: String, seed: UInt64, truncations: Int = 8,
                             mutations: Int = 10) -> [Case] {
        var rng = SeededRandom(seed: seed)
        let bytes = [UInt8](good)
        let header = min(bytes.count, 512)
        var result: [Case] = []
        for k in 0..<truncations {
            let limit = k.isMultiple(of: 2) ? min(256, bytes.count - 1) : bytes.count - 1
            let cut = 1 + Int(rng.next() % UInt64(max(1, limit)))
            result.append(Case(name: "\(base)-cut\(k)", bytes: Data(bytes.prefix(cut)), mutation: "cut after \(cut) bytes"))
        }
        for k in 0..<mutations {
            var damaged = bytes
            var what: [String] = []
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(max(1, header - 4)))
                if rng.next() % 2 == 0 {
                    let word = specialWords[Int(rng.next() % UInt64(specialWords.count))]
                    let bigEndian = rng.next() % 2 == 0
                    for i in 0..<4 {
                        damaged[at + i] = UInt8(truncatingIfNeeded: bigEndian ? word >> (8 * (3 - i)) : word >> (8 * i))
                    }
                    what.append(String(format: "0x%08X %@ at byte %d", word, bigEndian ? "BE" : "LE", at))
                } else {
                    damaged[at] = UInt8(truncatingIfNeeded: rng.next())
                    what.append("byte \(at) = \(damaged[at])")
                }
            }
            result.append(Case(name: "\(base)-mut\(k)", bytes: Data(damaged), mutation: what.joined(separator: ", ")))
        }
        return result
    }
}
