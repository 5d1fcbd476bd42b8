import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

/// EBU Tech 3341 cases 15-23: true peak within +0.2/-0.4 dB of the expected
/// value, and TrackGate's own goal, within 0.1 dB of the ideal peak.
@Suite struct TruePeakTests {
    @Test(arguments: [44_100, 48_000, 69_313, 96_000, 192_000])
    func tech3341TruePeakCases(_ rate: Int) {
        for c in EBUTestSignals.truePeakCases(sampleRate: rate) {
            let m = measure(c.signal, rate: rate, truePeak: true)
            for (channel, reading) in m.truePeakDBTP.enumerated() {
                guard let reading else { Issue.record("case \(c.name): no reading"); continue }
                let error = reading - c.expectedDBTP
                #expect(error <= 0.2 && error >= -0.4, "case \(c.name) ch \(channel) at \(rate): \(reading) dBTP")
                #expect(abs(error) <= 0.1, "case \(c.name) ch \(channel) at \(rate): \(error) dB from ideal")
            }
        }
    }

    @Test func oversamplingFactorFollowsBS1770Annex2() {
        #expect(OversamplingFilter.factor(forSampleRate: 44_100) == 4)
        #expect(OversamplingFilter.factor(forSampleRate: 95_999) == 4)
        #expect(OversamplingFilter.factor(forSampleRate: 96_000) == 2)
        #expect(OversamplingFilter.factor(forSampleRate: 192_000) == 2)
        #expect(OversamplingFilter.factor(forSampleRate: 384_000) == 1)
    }

    /// Sines of random phase up to 0.42 fs read within 0.06 dB of their amplitude,
    /// where the bare 4x points can miss by 0.17 dB (fs/4) or more.
    @Test func highFrequencySinesOfAnyPhase() {
        var rng = SeededRandom(seed: 42)
        let rate = 48_000
        var worst = 0.0
        for _ in 0..<40 {
            let f = (0.01 + Double(rng.next() % 1000) / 1000 * 0.41) * Double(rate)
            let phase = Double(rng.next() % 3600) / 10
            let amplitude = 0.9
            let w = 2 * Double.pi * f / Double(rate)
            // 10 ms fades: an abrupt start would overshoot, as any band-limited step does.
            let x = (0..<4800).map { i -> Float in
                let fade = min(1, Double(min(i, 4799 - i)) / 480)
                return Float(amplitude * fade * sin(w * Double(i) + phase))
            }
            let tp = measure([x], rate: rate, truePeak: true).truePeakDBTP[0]!
            worst = max(worst, abs(tp - 20 * log10(amplitude)))
        }
        #expect(worst < 0.06, "worst error \(worst) dB")
    }

    @Test func truePeakIsNeverBelowSamplePeak() {
        let noise = TestSignals.noise(amplitude: 0.8, seconds: 1, sampleRate: 44_100, channels: 2, seed: 11)
        let m = measure(noise.channels, rate: 44_100, truePeak: true)
        let expectedSamplePeak = noise.channels.map { 20 * log10(Double($0.map(abs).max()!)) }
        for c in 0..<2 {
            #expect(abs(m.samplePeakDBFS[c]! - expectedSamplePeak[c]) < 1e-9)
            #expect(m.truePeakDBTP[c]! >= m.samplePeakDBFS[c]!)
        }
    }

    /// Skipping stretches too quiet to matter must give exactly the reading of
    /// interpolating everything: levels jump by up to 40 dB between stretches,
    /// with inter-sample peaks (fs/4 sines at 45 degrees) among them.
    @Test func skippingQuietStretchesNeverChangesTheReading() {
        var rng = SeededRandom(seed: 7)
        for trial in 0..<20 {
            var x: [Float] = []
            for _ in 0..<12 {
                let level = Float(pow(10, -Double(rng.next() % 40) / 20))
                let length = 300 + Int(rng.next() % 3000)
                if rng.next() % 2 == 0 {
                    x += (0..<length).map { Float(sin(Double.pi / 2 * Double($0) + Double.pi / 4)) * level }
                } else {
                    x += (0..<length).map { _ in rng.bipolar() * level }
                }
            }
            var skipping = TruePeakMeter(channelCount: 1, sampleRate: 48_000)
            var exhaustive = TruePeakMeter(channelCount: 1, filter: OversamplingFilter(factor: 4), skipsQuietStretches: false)
            x.withUnsafeBufferPointer { p in
                var offset = 0
                while offset < p.count {
                    let block = UnsafeBufferPointer(rebasing: p[offset ..< min(p.count, offset + 1500)])
                    skipping.add([block])
                    exhaustive.add([block])
                    offset += 1500
                }
            }
            #expect(skipping.truePeak == exhaustive.truePeak, "trial \(trial)")
        }
    }

    /// Where blocks end never changes the reading: an interval is estimated
    /// once the points after it are in, so a peak on a block's last frame is
    /// refined like any other (block sizes 1, 7, 1,500, 4,096 and whole, on the
    /// same mix of levels and inter-sample peaks, skipping or not).
    @Test func blockBoundariesNeverChangeTheReading() {
        var rng = SeededRandom(seed: 11)
        for trial in 0..<9 {
            var x: [Float] = []
            // First, the case that needs it: fs/4 crests 0.1 sample after an input
            // sample, refinable only from that sample's interval, whose later
            // neighbour is the next block's first point when blocks end there.
            // (Faded in and out over 200 frames: an abrupt start rings above the crests.)
            if trial == 0 {
                x = (0..<4000).map { (i: Int) -> Float in
                    let fade: Double = min(1, Double(min(i, 3999 - i)) / 200)
                    let wave: Double = cos(Double.pi / 2 * (Double(i) - 1.1))
                    return Float(0.5 * fade * wave)
                }
            }
            for _ in 0..<(trial == 0 ? 0 : 6) {
                let level = Float(pow(10, -Double(rng.next() % 30) / 20))
                let length = 200 + Int(rng.next() % 2000)
                let phase = Double(rng.next() % 360) * Double.pi / 180
                if rng.next() % 3 != 0 {
                    x += (0..<length).map { Float(sin(Double.pi / 2 * Double($0) + phase)) * level }
                } else {
                    x += (0..<length).map { _ in rng.bipolar() * level }
                }
            }
            var readings: [[Double]] = []
            for block in [1, 2, 4, 7, 1500, 4096, x.count] {
                for skips in [true, false] {
                    var meter = TruePeakMeter(channelCount: 1, filter: OversamplingFilter(factor: 4), skipsQuietStretches: skips)
                    x.withUnsafeBufferPointer { p in
                        var offset = 0
                        while offset < p.count {
                            meter.add([UnsafeBufferPointer(rebasing: p[offset ..< min(p.count, offset + block)])])
                            offset += block
                        }
                    }
                    readings.append(meter.truePeak)
                }
            }
            #expect(Set(readings).count == 1, "trial \(trial): \(readings)")
        }
    }

    /// The last samples' inter-sample peaks count too: a track that ends
    /// abruptly at full scale must not lose its final peak.
    @Test func peakAtTheVeryEndIsMeasured() {
        let rate = 48_000
        var x = [Float](repeating: 0, count: 4800)
        let w = 2 * Double.pi / 4
        for i in 0..<8 { x[4792 + i] = Float(sin(w * Double(i) + Double.pi / 4)) }
        let tp = measure([x], rate: rate, truePeak: true, block: 4800).truePeakDBTP[0]!
        #expect(tp > 20 * log10(0.72), "\(tp)")
    }
}
