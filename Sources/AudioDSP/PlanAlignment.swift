import AudioCore

/// Does a track follow its section plan? A test of the whole plan against the
/// track's own changes, calibrated per track.
///
/// The novelty's scale differs from one piece of music to the next (in
/// continuous orchestral music it swings more than at a join of two electronic
/// pieces), so no fixed strength can say "a section changes here". This test
/// asks instead how unusual the plan's boundaries are *for this track*:
///
/// 1. The plan's score is the sum of a section-contrast curve (`curve(_:)`:
///    6 s of music compared on each side) at its boundaries.
/// 2. The null distribution comes from plans that keep the requested segment
///    lengths but not their place: every order of the segments (a seeded sample
///    of `maximumOrders` beyond five segments) at every shift of `shiftStep`,
///    wrapped around the analysed stretch. Only the requested plan itself is
///    left out: plans a little off it belong in the null, since on music that
///    ignores the plan they score as it does (leaving out those within 2 s
///    nearly doubled the false confirmations of one-boundary plans).
/// 3. `p = (1 + #{S_null >= S}) / (1 + n_null)`. If the music's changes have
///    nothing to do with the plan, the requested plan is close to one more draw
///    from that null, so `p <= level` happens about `level` of the time whatever
///    the music. That is a measurement, not a guarantee: the curve is not
///    uniform along a track (its ends read higher) and a requested plan is
///    pinned to the track's start. Measured on arbitrary plans over five
///    packages of real music in Benchmarks/README.md, by boundary count.
///
/// Per boundary, `boundaryPValues` gives the share of the track's moments away
/// from every requested boundary (by `halfWindow`, beyond the reach of their
/// windows) whose contrast is at least as large as the boundary's own: its
/// change, as a percentile of this track's changes. Descriptive: with several
/// boundaries some stand out by chance; the plan's p-value is the decision.
public struct PlanAlignment: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case confirmed
        case notConfirmed = "not_confirmed"
        case notApplicable = "not_applicable"
    }

    public let status: Status
    /// The plan's p-value; nil when not applicable.
    public let pValue: Double?
    /// Boundaries whose own p-value is at or under the level.
    public let boundariesMatched: Int
    public let boundaries: Int
    /// Per requested boundary: its change's p-value among the track's other
    /// moments; nil for a boundary outside the analysed audio.
    public let boundaryPValues: [Double?]
    /// Per requested boundary: the curve's contrast there (nil outside the analysed audio).
    public let boundaryContrasts: [Double?]
    /// The contrast a change needs to stand out at the level on this track (the
    /// (1 - level) quantile of the curve away from the requested boundaries), in
    /// the curve's units: a guide for pictures.
    public let confirmingStrength: Double?
    /// Why the test does not apply (no plan, too little audio).
    public let reason: String?

    /// Seconds compared on each side of a boundary. Chosen on the plan
    /// evaluation (Benchmarks/README.md, `plan-eval`) among 4, 5, 6 and 8 s
    /// leaving one package out: 6 s for four of the five packages, 8 s for the
    /// fifth. Longer windows gather more of each section; BGM v2.0 segments
    /// last 5 s and more, so shorter sections share a window with their neighbours.
    public static let halfWindow = 6.0
    /// Null plans closer than this to the requested one (every boundary within
    /// it) are left out, seconds: half a shift step, so only the requested plan
    /// itself (and other orders giving the same boundaries).
    public static let defaultExclusion = shiftStep / 2
    /// Plans beyond this many boundaries, or longer than twice the analysed
    /// audio, are not tested: no valid request comes near (BGM v2.0 allows at
    /// most 24 segments of 5 s), and the count of null plans grows with them.
    public static let maximumBoundaries = 50
    /// Step between shifted plans, seconds.
    public static let shiftStep = 0.25
    /// Orders of the segments tried at most (all of them up to 5 segments).
    public static let maximumOrders = 120
    /// Shortest analysed stretch that can be tested: 20 s, so even a
    /// one-boundary plan has some 80 shifted plans to be compared with.
    public static let minimumSeconds = 20.0

    /// The curve the test reads: section contrast over `halfWindow` seconds each side.
    public static func curve(_ features: SectionFeatures) -> NoveltyCurve {
        NoveltyCurve(features: features.values, dimension: features.dimension, framePeriod: features.framePeriod,
                     halfWindow: halfWindow)
    }

    /// Tests `segments` (the requested section lengths, seconds, in order) against `curve`.
    ///
    /// - Parameters:
    ///   - level: the p-value at or under which the plan is confirmed (and a boundary matched).
    ///   - seed: for the sample of segment orders when there are more than five segments.
    public static func test(curve: NoveltyCurve, segments: [Double], level: Double = 0.05,
                            exclusion: Double = defaultExclusion, seed: UInt64 = 0x5EED) -> PlanAlignment {
        let requested = Self.boundaries(of: segments)
        func notApplicable(_ why: String) -> PlanAlignment {
            PlanAlignment(status: .notApplicable, pValue: nil, boundariesMatched: 0, boundaries: requested.count,
                          boundaryPValues: requested.map { _ in nil }, boundaryContrasts: requested.map { _ in nil },
                          confirmingStrength: nil, reason: why)
        }
        guard !requested.isEmpty else { return notApplicable("the request has no section plan") }
        guard segments.allSatisfy({ $0.isFinite && $0 > 0 }), requested.count <= maximumBoundaries else {
            return notApplicable("the plan has more than \(maximumBoundaries) boundaries or a segment that is not a length")
        }
        let period = curve.framePeriod
        // A value that is not a number carries no evidence either way.
        let values = curve.values.map { $0.isFinite ? $0 : 0 }
        guard period > 0, period.isFinite, let first = values.firstIndex(where: { $0 > 0 }),
              let last = values.lastIndex(where: { $0 > 0 }), Double(last - first) * period >= minimumSeconds else {
            return notApplicable("too little audio to test a plan (under \(Int(minimumSeconds)) s analysed)")
        }
        guard segments.reduce(0, +) <= 2 * Double(values.count) * period else {
            return notApplicable("the plan is more than twice as long as the audio")
        }
        let valid = first...last
        func index(_ t: Double) -> Int? {
            let i = Int((t / period).rounded())
            return valid.contains(i) ? i : nil
        }
        // A boundary outside the analysed audio (a delivery shorter than its plan) adds nothing.
        func score(_ times: [Double]) -> Double { times.reduce(0) { $0 + (index($1).map { values[$0] } ?? 0) } }

        let observed = score(requested)
        let start = Double(first) * period, span = Double(last - first) * period
        let sortedRequested = requested.sorted()
        var exceeding = 0, count = 0
        // One scratch buffer for every null plan: tens of thousands of them for a long plan.
        var times = [Double](repeating: 0, count: requested.count)
        for order in orders(of: segments, seed: seed) {
            let base = Self.boundaries(of: order)
            var shift = 0.0
            while shift < span {
                // Wrapped around the analysed stretch, so every null plan lies inside it.
                var total = 0.0
                for (i, b) in base.enumerated() {
                    var t = (b - start + shift).truncatingRemainder(dividingBy: span)
                    if t < 0 { t += span }
                    t += start
                    times[i] = t
                    if let j = index(t) { total += values[j] }
                }
                if !Self.isNear(&times, sortedRequested, exclusion) {
                    count += 1
                    if total >= observed - 1e-12 { exceeding += 1 }
                }
                shift += shiftStep
            }
        }
        guard count >= 20 else {
            return notApplicable("too few other placements of the plan to compare with (\(count))")
        }
        let p = Double(1 + exceeding) / Double(1 + count)

        // Per boundary: against the moments beyond the reach of every requested
        // boundary's windows; a dense plan on a short track may leave too few
        // (under 10 s of them), and then those beyond 2 s do, or at last all.
        var away: [Double] = []
        for radius in [halfWindow, 2, -1] {
            away = valid.filter { i in requested.allSatisfy { abs(Double(i) * period - $0) > radius } }.map { values[$0] }
            if Double(away.count) * period >= minimumSeconds / 2 { break }
        }
        away.sort()
        func exceedance(_ value: Double) -> Double {
            var lo = 0, hi = away.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if away[mid] < value { lo = mid + 1 } else { hi = mid }
            }
            return Double(1 + away.count - lo) / Double(1 + away.count)
        }
        let boundaryP: [Double?] = requested.map { t in
            guard let i = index(t), !away.isEmpty else { return nil }
            return exceedance(values[i])
        }
        let quantile = away.isEmpty ? nil : away[min(away.count - 1, Int((Double(away.count) * (1 - level)).rounded(.up)))]
        return PlanAlignment(status: p <= level ? .confirmed : .notConfirmed, pValue: p,
                             boundariesMatched: boundaryP.filter { ($0 ?? 1) <= level }.count, boundaries: requested.count,
                             boundaryPValues: boundaryP, boundaryContrasts: requested.map { index($0).map { values[$0] } },
                             confirmingStrength: quantile, reason: nil)
    }

    /// Cumulative segment ends without the last: where sections hand over.
    public static func boundaries(of segments: [Double]) -> [Double] {
        var t = 0.0
        return segments.dropLast().map { t += $0; return t }
    }

    /// Every order of the segments (the requested one first), or the requested
    /// one and a seeded sample when there are more than five segments.
    static func orders(of segments: [Double], seed: UInt64) -> [[Double]] {
        if segments.count <= 5 { return permutations(segments) }
        var random = SplitMix64(seed: seed)
        var result = [segments]
        while result.count < maximumOrders {
            var order = segments
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            result.append(order)
        }
        return result
    }

    static func permutations(_ xs: [Double]) -> [[Double]] {
        guard xs.count > 1 else { return [xs] }
        var result: [[Double]] = []
        for (i, x) in xs.enumerated() {
            var rest = xs
            rest.remove(at: i)
            for tail in permutations(rest) { result.append([x] + tail) }
        }
        return result
    }

    /// Whether every boundary of `a` (sorted here in place, without allocating)
    /// lies within `distance` of the same boundary of the sorted `b`.
    static func isNear(_ a: inout [Double], _ b: [Double], _ distance: Double) -> Bool {
        for i in 1..<max(1, a.count) {
            let x = a[i]
            var j = i - 1
            while j >= 0 && a[j] > x {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = x
        }
        for i in a.indices where abs(a[i] - b[i]) > distance { return false }
        return true
    }
}
