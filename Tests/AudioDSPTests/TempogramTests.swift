import Foundation
import AudioDSP
import Testing
import TrackGateTestSupport

@Suite struct TempogramTests {
    let rate = 44_100

    func features(_ x: [Float]) -> SpectralFeatures {
        var f = SpectralFeatures(sampleRate: rate)
        x.withUnsafeBufferPointer { f.add([$0]) }
        return f
    }

    /// 20 ms bursts of noise every `period` seconds.
    func clicks(period: Double, seconds: Double, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        let n = Int(seconds * Double(rate)), burst = rate / 50
        var x = [Float](repeating: 0, count: n)
        var start = 0.0
        while Int(start) + burst < n {
            for i in 0..<burst { x[Int(start) + i] = 0.5 * rng.bipolar() * Float(burst - i) / Float(burst) }
            start += period * Double(rate)
        }
        return x
    }

    /// The level steps are an eighth of a hop, and a steady signal's level is its power in dB.
    @Test func levelsAreEighthHopSteps() {
        let f = features([Float](repeating: 0.5, count: 10_000))
        #expect(f.levelStep == 256)
        #expect(f.levels.count == 10_000 / 256)
        #expect(f.levels.allSatisfy { abs($0 - 10 * log10(0.25)) < 1e-4 })
    }

    /// Against the definition computed directly, lag by lag (the meter uses prefix sums).
    @Test func matchesTheDirectAutocorrelation() {
        var rng = SeededRandom(seed: 3)
        // Noise whose level jumps every 0.1-0.4 s, so the envelope has irregular onsets.
        var x: [Float] = []
        while x.count < 6 * rate {
            let gain = Float(0.05 + 0.5 * abs(rng.bipolar()))
            let length = Int((0.1 + 0.3 * Double(abs(rng.bipolar()))) * Double(rate))
            x += (0..<length).map { _ in gain * rng.bipolar() }
        }
        let f = features(x)
        let bands = Tempogram.bands(of: f)
        #expect(bands.count == f.frameCount * Tempogram.binCount)
        let stepRate = Double(rate) / Double(f.levelStep)
        let edges = Tempogram.bandEdges(stepRate: stepRate)
        let onset = f.levels.indices.map { i in i == 0 ? 0 : Double(max(0, f.levels[i] - f.levels[i - 1])) }
        let n = onset.count, half = Int(1.5 * stepRate)
        for t in stride(from: 0, to: f.frameCount, by: 7) {
            let centre = (t * f.hop + f.frameSize / 2) / f.levelStep
            let lo = max(0, centre - half), hi = min(n, centre + half)
            let m = onset[lo..<hi].reduce(0, +) / Double(hi - lo)
            let zero = onset[lo..<hi].reduce(0) { $0 + ($1 - m) * ($1 - m) }
            for b in 0..<Tempogram.binCount {
                let lags = edges[b]..<max(edges[b] + 1, edges[b + 1])
                var total = 0.0
                for lag in lags where lo + lag < hi {
                    for i in lo..<(hi - lag) { total += (onset[i] - m) * (onset[i + lag] - m) / zero }
                }
                let expected = total / Double(lags.count)
                let got = Double(bands[t * Tempogram.binCount + b])
                #expect(abs(got - expected) < 1e-4, "frame \(t), band \(b): \(got) vs \(expected)")
            }
        }
    }

    /// A click track's strongest band is the one that holds its period (or a
    /// multiple of it, up to the longest lag), in the middle of the track.
    @Test(arguments: [0.5, 0.3, 0.42])
    func clickTrackPeaksAtItsPeriod(period: Double) {
        let f = features(clicks(period: period, seconds: 8, seed: 4))
        let bands = Tempogram.bands(of: f)
        let stepRate = Double(rate) / Double(f.levelStep)
        let edges = Tempogram.bandEdges(stepRate: stepRate)
        let t = f.frameCount / 2
        let frame = Array(bands[t * Tempogram.binCount ..< (t + 1) * Tempogram.binCount])
        let best = frame.indices.max { frame[$0] < frame[$1] }!
        let multiples = (1...4).map { Double($0) * period * stepRate }
        let holds = multiples.contains { Double(edges[best]) - 1 <= $0 && $0 <= Double(max(edges[best] + 1, edges[best + 1])) }
        #expect(holds, "period \(period) s: strongest band \(best) covers lags \(edges[best])..<\(edges[best + 1]) steps; \(frame)")
        #expect(frame[best] > 0.05, "\(frame)")
    }
}
