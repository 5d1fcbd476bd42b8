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

    /// A curve that is flat but for peaks at the requested boundaries: no null
    /// plan reaches the requested score, so p is 1 / (1 + n) for the n null plans,
    /// which are counted here: 2 orders of the segments (30 s and 30 s are the
    /// same twice) at every 0.25 s of the 59.95 s analysed, less those within 2 s.
    @Test func pValueByCounting() {
        let c = curve(seconds: 60, peaks: [30: 5])
        let result = PlanAlignment.test(curve: c, segments: [30, 30])
        let span = 59.95, shifts = Int((span / PlanAlignment.shiftStep).rounded(.up))
        // Each order: the shifts that move the boundary 2 s or less, or wrap it within 2 s, are left out.
        let near = (0..<shifts).filter { k in
            let moved = (30 + Double(k) * 0.25).truncatingRemainder(dividingBy: span)
            return abs(moved - 30) <= 2
        }.count
        let n = 2 * (shifts - near)
        #expect(result.status == .confirmed)
        #expect(abs(result.pValue! - 1 / Double(1 + n)) < 1e-12, "\(result.pValue!) vs 1/\(1 + n)")
        #expect(result.boundaryPValues.count == 1 && result.boundariesMatched == 1)
    }

    /// On curves of noise (no relation to any plan), random plans are confirmed
    /// about as often as the level says: the permutation test's guarantee.
    @Test func randomPlansOnNoiseAreConfirmedAtTheLevel() {
        var rng = SeededRandom(seed: 44)
        var confirmed = 0
        let trials = 300
        for _ in 0..<trials {
            // Smooth noise, correlated over ~1 s as a novelty curve is.
            var state = 0.0
            let values = (0..<Int(90 / Self.period)).map { _ -> Double in
                state = 0.95 * state + 0.3 * Double(rng.bipolar())
                return 1 + abs(state)
            }
            let c = NoveltyCurve(framePeriod: Self.period, values: values)
            var segments: [Double] = []
            while segments.reduce(0, +) < 70 { segments.append(Double(8 + rng.next() % 20)) }
            if PlanAlignment.test(curve: c, segments: segments).status == .confirmed { confirmed += 1 }
        }
        let rate = Double(confirmed) / Double(trials)
        #expect(rate >= 0.01 && rate <= 0.09, "\(confirmed) of \(trials) random plans confirmed at level 0.05")
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
        let parts = [(a, 40.0), (b, 50.0), (c, 20.0)].map { buffer, start in
            buffer.channels.map { Array($0[Int(start * Double(rate)) - fade / 2 ..< Int((start + 20) * Double(rate)) + fade / 2]) }
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
        #expect(result.status == .confirmed && result.pValue! < 0.01, "\(result)")
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
