import AudioCore

/// A deterministic generator (`SplitMix64`), so every generated fixture is
/// byte-identical on every machine and run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { random.next() }

    /// Uniform in [-1, 1).
    public mutating func bipolar() -> Float {
        Float(next() >> 40) / Float(1 << 23) - 1
    }
}
