/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014; constants as in Vigna's reference code): a
/// 64-bit state stepped by the golden-ratio increment and scrambled by the
/// MurmurHash3-style finaliser. Fast, full period, and statistically good
/// enough for dither, shuffles and fixtures; never for secrets.
/// The one generator of TrackGate: the dither, the plan-alignment test's
/// shifts, the shard hash's finaliser and the test fixtures all use it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next value of the stream.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The finaliser alone: a bijection of 64-bit values whose every output bit
    /// depends on every input bit.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
