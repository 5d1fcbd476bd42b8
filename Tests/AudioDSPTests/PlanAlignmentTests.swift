import AudioCore
import AudioDSP
import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// The plan test: its p-values by hand on curves built for it, its false
/// confirmations on random curves, and its decisions on real music.
@Suite struct PlanAlignmentTests {
    static let period = 0.05

    /// A curve of `seconds` with `base` everywhere and `peaks` added at given times.
    func curve(seconds: Double, base: (Int) -> Double = { _ in 1 }, peaks: [Double: Double] = [:]) -> NoveltyCurve {
        var values = (0..<Int(seconds / Self.period)).map(base)
        for (t, v) in peaks { values[Int((t / Self.period).rounded())] += v }
        return NoveltyCurve(framePeriod: Self.period, values: values)
    }

    /// A curve that is flat but for a peak at the requested boundary: no null
    /// plan reaches the requested score, so p is 1 / (1 + n) for the n null plans,
    /// which are counted here: 2 orders of the segments (30 s and 30 s are the
    /// same twice) at every 0.25 s of the 59.95 s analysed, less the requested plan itself.
    @Test func pValueByCounting() {
        let c = curve(seconds: 60, peaks: [30: 5])
        let result = PlanAlignment.test(curve: c, segments: [30, 30])
        let span = 59.95, shifts = Int((span / PlanAlignment.shiftStep).rounded(.up))
        // Each order: the shifts that leave the boundary where it was are left out.
        let near = (0..<shifts).filter { k in
            let moved = (30 + Double(k) * 0.25).truncatingRemainder(dividingBy: span)
            return abs(moved - 30) <= PlanAlignment.defaultExclusion
        }.count
        let n = 2 * (shifts - near)
        #expect(result.status == .confirmed)
        #expect(abs(result.pValue! - 1 / Double(1 + n)) < 1e-12, "\(result.pValue!) vs 1/\(1 + n)")
        #expect(result.boundaryPValues.count == 1 && result.boundariesMatched == 1)
    }

    /// Frames of drifting noise (40 dimensions, a slow random walk under white
    /// noise, as music's features wander) and their 6 s contrast curve: a curve
    /// correlated over seconds, as the real one is, with no relation to any plan.
    static func driftingCurve(seconds: Double, rng: inout SeededRandom) -> NoveltyCurve {
        let period = 2048.0 / 44_100, d = 40
        let frames = Int(seconds / period)
        var drift = [Float](repeating: 0, count: d)
        var values = [Float](repeating: 0, count: frames * d)
        for t in 0..<frames {
            for k in 0..<d {
                drift[k] += 0.05 * rng.bipolar()
                values[t * d + k] = drift[k] + rng.bipolar()
            }
        }
        return NoveltyCurve(features: values, dimension: d, framePeriod: period, halfWindow: PlanAlignment.halfWindow)
    }

    /// With no relation between curve and plan, plans are confirmed about as often
    /// as the level says, also for the plans whose null is smallest: one
    /// boundary (two orders, the same boundary), and segments of equal length
    /// (every order the same plan). 2.5-7.5 % is the binomial 95 % range of 400 at 5 %.
    @Test(arguments: ["random", "one boundary", "equal segments"])
    func plansUnrelatedToTheMusicAreConfirmedAtTheLevel(_ shape: String) {
        var rng = SeededRandom(seed: 44 + UInt64(shape.count))
        var confirmed = 0
        let trials = 400
        for _ in 0..<trials {
            let curve = Self.driftingCurve(seconds: 90, rng: &rng)
            var segments: [Double]
            switch shape {
            case "one boundary": segments = [Double(20 + rng.next() % 50)]
            case "equal segments": segments = Array(repeating: Double(10 + rng.next() % 12), count: 2 + Int(rng.next() % 4))
            default:
                segments = []
                while segments.reduce(0, +) < 60 { segments.append(Double(8 + rng.next() % 20)) }
            }
            // The rest of the track is the last segment, as a plan covers its track.
            segments.append(max(8, 88 - segments.reduce(0, +)))
            if PlanAlignment.test(curve: curve, segments: segments).status == .confirmed { confirmed += 1 }
        }
        let rate = Double(confirmed) / Double(trials)
        #expect(rate >= 0.025 && rate <= 0.075, "\(shape): \(confirmed) of \(trials) unrelated plans confirmed at level 0.05")
    }

    @Test func whatCannotBeTested() {
        #expect(PlanAlignment.test(curve: curve(seconds: 60), segments: [60]).status == .notApplicable)
        let short = PlanAlignment.test(curve: curve(seconds: 15), segments: [5, 10])
        #expect(short.status == .notApplicable && short.reason?.contains("too little audio") == true)
        #expect(short.boundaryPValues == [nil])
    }

    /// Every order of up to five segments; a seeded sample of 120 beyond.
    @Test func segmentOrders() {
        #expect(PlanAlignment.boundaries(of: [15, 30, 45, 10]) == [15, 45, 90])
        let many = PlanAlignment.test(curve: curve(seconds: 120, peaks: [10: 3, 20: 3, 30: 3, 40: 3, 50: 3, 60: 3]),
                                      segments: [10, 10, 10, 10, 10, 10, 50])
        #expect(many.status == .confirmed)
    }

    // MARK: Real music (extremetuxracer-data, GPL-2+, installed by scripts/setup.sh)

    static func etr(_ name: String) throws -> AudioBuffer? {
        let path = "/usr/share/games/etr/music/\(name)"
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("extremetuxracer-data is not installed: run scripts/setup.sh")
            return nil
        }
        return try SoundFile.readAll(path: path)
    }

    static func planCurve(_ channels: [[Float]], rate: Int) -> NoveltyCurve {
        var features = SpectralFeatures(sampleRate: rate)
        channels.withUnsafeChannelPointers { features.add($0) }
        return PlanAlignment.curve(SectionFeatures(features))
    }

    /// A plan followed: 20 s of freezingpoint, 20 s of spunkyrace, 20 s of race1,
    /// joined at 20 and 40 s with 1 s crossfades. Confirmed, both joins standing out.
    @Test func aFollowedPlanOfRealMusicIsConfirmed() throws {
        guard let a = try Self.etr("freezingpoint.ogg"), let b = try Self.etr("spunkyrace-ks.ogg"),
              let c = try Self.etr("race1-jt.ogg") else { return }
        let rate = a.sampleRate
        let fade = rate
        // Each excerpt carries half a fade of music either side of its 20 s (the
        // first none before it), so the fades are centred on 20 and 40 s.
        let parts = [(a, 40.0), (b, 50.0), (c, 20.0)].enumerated().map { i, source in
            let (buffer, start) = source
            let lead = i == 0 ? 0 : fade / 2
            return buffer.channels.map { Array($0[Int(start * Double(rate)) - lead ..< Int((start + 20) * Double(rate)) + fade / 2]) }
        }
        var track = parts[0]
        for part in parts.dropFirst() {
            for ch in 0..<2 {
                let start = track[ch].count - fade
                for i in 0..<fade {
                    let g = Float(i) / Float(fade)
                    track[ch][start + i] = track[ch][start + i] * (1 - g) + part[ch][i] * g
                }
                track[ch] += part[ch][fade...]
            }
        }
        let result = PlanAlignment.test(curve: Self.planCurve(track, rate: rate), segments: [20, 20, 20])
        #expect(result.status == .confirmed && result.pValue! <= 0.05, "\(result)")
        #expect(result.boundariesMatched == 2, "\(result.boundaryPValues)")
    }

    /// A plan ignored: 60 s inside one annotated section of freezingpoint (31-91 s),
    /// against a plan of 15, 20 and 25 s. Not confirmed.
    @Test func anArbitraryPlanOnContinuousRealMusicIsNotConfirmed() throws {
        guard let a = try Self.etr("freezingpoint.ogg") else { return }
        let rate = a.sampleRate
        let excerpt = a.channels.map { Array($0[31 * rate ..< 91 * rate]) }
        let result = PlanAlignment.test(curve: Self.planCurve(excerpt, rate: rate), segments: [15, 20, 25])
        #expect(result.status == .notConfirmed && result.pValue! > 0.2, "\(result)")
    }
}
