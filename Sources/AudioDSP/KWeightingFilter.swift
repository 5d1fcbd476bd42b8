/// The K-weighting filter of ITU-R BS.1770-4 Annex 1 as streaming state: both
/// stages per channel, in double precision (the 38 Hz high-pass needs it), fed
/// stretches of frames and answering with each channel's sum of squares, the
/// quantity every loudness window is built from.
///
/// Channels of non-zero weight run in pairs, two recurrences side by side in
/// the lanes of one `SIMD2<Double>`, since each alone is bound by the latency
/// of its own feedback; channels of weight 0 (LFE) are not filtered at all.
struct KWeightingFilter: Sendable {
    let preFilter: BiquadCoefficients
    let highPass: BiquadCoefficients
    /// Which channels count (a non-zero BS.1770-4 weight).
    let active: [Bool]
    /// Per channel: s1, s2 of the pre-filter, then s1, s2 of the high-pass (transposed direct form II).
    private var state: [SIMD4<Double>]

    init(sampleRate: Int, channelWeights: [Double]) {
        preFilter = KWeighting.preFilter(sampleRate: Double(sampleRate))
        highPass = KWeighting.highPass(sampleRate: Double(sampleRate))
        active = channelWeights.map { $0 != 0 }
        state = Array(repeating: .zero, count: channelWeights.count)
    }

    /// Filters `range` of every channel and adds each active channel's sum of
    /// squared output to `energies[c]`.
    mutating func accumulate(_ channels: [UnsafeBufferPointer<Float>], range: Range<Int>, into energies: inout [Double]) {
        var c = 0
        let count = active.count
        while c < count {
            if c + 1 < count && active[c] && active[c + 1] {
                var (left, right) = (state[c], state[c + 1])
                let energy = Self.energy(UnsafeBufferPointer(rebasing: channels[c][range]),
                                         UnsafeBufferPointer(rebasing: channels[c + 1][range]),
                                         preFilter, highPass, &left, &right)
                (state[c], state[c + 1]) = (left, right)
                energies[c] += energy[0]
                energies[c + 1] += energy[1]
                c += 2
                continue
            }
            if active[c] {
                energies[c] += Self.energy(UnsafeBufferPointer(rebasing: channels[c][range]), preFilter, highPass, &state[c])
            }
            c += 1
        }
    }

    @inline(__always)
    private static func energy(_ x: UnsafeBufferPointer<Float>, _ p: BiquadCoefficients, _ h: BiquadCoefficients,
                               _ state: inout SIMD4<Double>) -> Double {
        var (s1, s2, t1, t2) = (state[0], state[1], state[2], state[3])
        var sum = 0.0
        for sample in x {
            let z = step(Double(sample), p, h, &s1, &s2, &t1, &t2)
            sum += z * z
        }
        state = SIMD4(s1, s2, t1, t2)
        return sum
    }

    @inline(__always)
    private static func energy(_ left: UnsafeBufferPointer<Float>, _ right: UnsafeBufferPointer<Float>,
                               _ p: BiquadCoefficients, _ h: BiquadCoefficients,
                               _ stateL: inout SIMD4<Double>, _ stateR: inout SIMD4<Double>) -> SIMD2<Double> {
        var s1 = SIMD2(stateL[0], stateR[0]), s2 = SIMD2(stateL[1], stateR[1])
        var t1 = SIMD2(stateL[2], stateR[2]), t2 = SIMD2(stateL[3], stateR[3])
        var sum = SIMD2<Double>(repeating: 0)
        let lp = left.baseAddress!, rp = right.baseAddress!
        for i in 0..<left.count {
            let z = step(SIMD2(Double(lp[i]), Double(rp[i])), p, h, &s1, &s2, &t1, &t2)
            sum += z * z
        }
        stateL = SIMD4(s1[0], s2[0], t1[0], t2[0])
        stateR = SIMD4(s1[1], s2[1], t1[1], t2[1])
        return sum
    }

    /// One sample through both stages: the single definition of the filter,
    /// for one channel or two in SIMD lanes.
    @inline(__always)
    private static func step<V: FilterLane>(_ input: V, _ p: BiquadCoefficients, _ h: BiquadCoefficients,
                                            _ s1: inout V, _ s2: inout V, _ t1: inout V, _ t2: inout V) -> V {
        let y = p.b0 * input + s1
        s1 = p.b1 * input - p.a1 * y + s2
        s2 = p.b2 * input - p.a2 * y
        let z = h.b0 * y + t1
        t1 = h.b1 * y - h.a1 * z + t2
        t2 = h.b2 * y - h.a2 * z
        return z
    }
}

/// What the K-weighting step needs of a sample: scaling by a coefficient,
/// addition and subtraction. One channel is a `Double`, two are a `SIMD2<Double>`.
protocol FilterLane {
    static func * (lhs: Double, rhs: Self) -> Self
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
}

extension Double: FilterLane {}
extension SIMD2: FilterLane where Scalar == Double {}
