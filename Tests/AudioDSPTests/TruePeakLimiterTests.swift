import AudioCore
import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

/// The limiter holds the true peak, measured two ways (TrackGate's meter and
/// libebur128's), and changes nothing where nothing needs changing.
@Suite struct TruePeakLimiterTests {
    /// libebur128's interpolator (a short windowed sinc) reads above the ideal
    /// true peak at high frequencies: 0.07 dB on a 15 kHz sine at 48 kHz, and up
    /// to 0.1 dB on the hot music below, where TrackGate's meter reads the ceiling.
    static let libebur128OverRead = 0.1

    static func limit(_ channels: [[Float]], rate: Int, ceiling: Double, block: Int = 4096) -> (output: [[Float]], limiter: TruePeakLimiter) {
        var limiter = TruePeakLimiter(channelCount: channels.count, sampleRate: rate, ceilingDBTP: ceiling)
        var output = Array(repeating: [Float](), count: channels.count)
        let collect: ([UnsafeBufferPointer<Float>]) -> Void = { buffers in
            for c in buffers.indices { output[c].append(contentsOf: buffers[c]) }
        }
        var offset = 0
        let frames = channels[0].count
        while offset < frames {
            let end = min(frames, offset + block)
            let slices = channels.map { Array($0[offset ..< end]) }
            slices.withUnsafeChannelPointers { limiter.process($0, emit: collect) }
            offset = end
        }
        limiter.finish(emit: collect)
        return (output, limiter)
    }

    static func truePeakDB(_ channels: [[Float]], rate: Int) -> Double {
        var meter = TruePeakMeter(channelCount: channels.count, sampleRate: rate)
        channels.withUnsafeChannelPointers { meter.add($0) }
        return 20 * log10(meter.truePeak.max()!)
    }

    static func scaled(_ channels: [[Float]], dB: Double) -> [[Float]] {
        let g = Float(pow(10, dB / 20))
        return channels.map { $0.map { $0 * g } }
    }

    /// One estimate of the true peak: the limiter limits by the very number the
    /// meter reports (and verification reads back), on every Tech 3341 true-peak
    /// signal. The limiter's deepest gain is its target over the peak it saw.
    @Test(arguments: [44_100, 48_000, 96_000])
    func theLimiterLimitsByThePeakTheMeterReads(rate: Int) {
        for (name, signal, expected) in EBUTestSignals.truePeakCases(sampleRate: rate) {
            let metered = Self.truePeakDB(signal, rate: rate)
            // The limiter in other blocks than the meter's one: where blocks end does not matter.
            for block in [333, 4096] {
                var limiter = TruePeakLimiter(channelCount: 2, sampleRate: rate, parameters: LimiterParameters(ceilingDBTP: expected - 3, margin: 0))
                var offset = 0
                while offset < signal[0].count {
                    let end = min(signal[0].count, offset + block)
                    signal.map { Array($0[offset ..< end]) }.withUnsafeChannelPointers { limiter.process($0, emit: { _ in }) }
                    offset = end
                }
                limiter.finish(emit: { _ in })
                let seen = 20 * log10(Double(limiter.target) / Double(limiter.minimumGain))
                #expect(abs(seen - metered) < 0.0005,
                        "case \(name) at \(rate) Hz, blocks of \(block): the limiter saw \(seen) dBTP, the meter read \(metered)")
            }
        }
    }

    @Test(arguments: [44_100, 48_000, 96_000])
    func holdsTheCeilingOnTheEBUTruePeakSignalsBoostedBy6dB(rate: Int) {
        for (name, signal, expected) in EBUTestSignals.truePeakCases(sampleRate: rate) {
            let input = Self.scaled(signal, dB: 6)
            let (output, limiter) = Self.limit(input, rate: rate, ceiling: -1)
            #expect(output[0].count == input[0].count)
            let ours = Self.truePeakDB(output, rate: rate)
            let reference = LibEBUR128ComparisonTests.libebur128(output, rate: rate).truePeak.max()!
            #expect(ours <= -1.0 + 1e-4, "case \(name) at \(rate) Hz: \(ours) dBTP")
            #expect(reference <= -1.0 + Self.libebur128OverRead, "case \(name) at \(rate) Hz, libebur128: \(reference) dBTP")
            // Only as much as needed: the margin and no more.
            #expect(ours >= -1.15, "case \(name) at \(rate) Hz limited to \(ours) dBTP")
            let needed = expected + 6 + 1 + 0.1
            #expect(abs(Double(20 * log10(limiter.minimumGain)) + needed) < 0.02, "case \(name): reduction \(20 * log10(limiter.minimumGain)) dB, needed \(needed)")
        }
    }

    /// A quiet tone with one loud burst: bit-identical output up to the attack
    /// before the burst and again once the release has run out; the burst itself held.
    @Test func touchesOnlyTheNeighbourhoodOfPeaks() {
        let rate = 48_000
        let burstStart = 3 * rate, burstEnd = burstStart + rate / 10, frames = 8 * rate
        let channel = (0..<frames).map { i -> Float in
            let level: Float = (burstStart ..< burstEnd).contains(i) ? 1.4 : 0.1
            return level * Float(sin(2 * Double.pi * 441 * Double(i) / Double(rate)))
        }
        let (output, limiter) = Self.limit([channel, channel], rate: rate, ceiling: -1)
        let lead = limiter.attackFrames + 24 + 8
        #expect(Array(output[0][0 ..< burstStart - lead]) == Array(channel[0 ..< burstStart - lead]))
        let settled = burstEnd + 3 * rate
        #expect(Array(output[0][settled...]) == Array(channel[settled...]))
        #expect(Self.truePeakDB(output, rate: rate) <= -1.0 + 1e-4)
        // Limiting lasts the burst, the attack and the release, not the whole track.
        let limitedSeconds = Double(limiter.limitedFrames) / Double(rate)
        #expect(limitedSeconds > 0.1 && limitedSeconds < 3.2, "\(limitedSeconds) s limited")
        // Right after the burst the gain is already rising: within 0.3 s back above -1 dB.
        let after = burstEnd + Int(0.3 * Double(rate))
        let ratio = output[0][after - 200 ..< after].map(abs).max()! / channel[after - 200 ..< after].map(abs).max()!
        #expect(20 * log10(ratio) > -1)
    }

    /// One gain for all channels: the quiet channel is turned down with the loud one.
    @Test func linksTheChannels() {
        let rate = 44_100
        let loud = TestSignals.sine(frequency: 1000, amplitude: 1.3, seconds: 1, sampleRate: rate).channels[0]
        let quiet = TestSignals.sine(frequency: 300, amplitude: 0.2, seconds: 1, sampleRate: rate).channels[0]
        let (output, _) = Self.limit([loud, quiet], rate: rate, ceiling: -1)
        for i in stride(from: 2000, to: 40_000, by: 997) where abs(loud[i]) > 0.1 && abs(quiet[i]) > 0.05 {
            let gl = output[0][i] / loud[i], gq = output[1][i] / quiet[i]
            #expect(abs(gl - gq) < 1e-5, "frame \(i): \(gl) vs \(gq)")
        }
    }

    @Test func blockSizeDoesNotMatter() {
        let rate = 48_000
        let song = MusicSynth(sampleRate: rate, seed: 4).render(plan: [("verse", 6), ("chorus", 6)])
        let hot = Self.scaled(song.channels, dB: 12)
        let a = Self.limit(hot, rate: rate, ceiling: -1, block: 65_536).output
        let b = Self.limit(hot, rate: rate, ceiling: -1, block: 777).output
        #expect(a == b)
    }

    /// Music pushed 12 dB too hot: held at the ceiling by both meters, with the
    /// limiting confined to the peaks (loudness rises by most of the 12 dB).
    @Test func holdsTheCeilingOnMusic() {
        let rate = 44_100
        let song = MusicSynth(sampleRate: rate, seed: 9).render(plan: [("intro", 4), ("verse", 8), ("chorus", 8)])
        let hot = Self.scaled(song.channels, dB: 12)
        let (output, limiter) = Self.limit(hot, rate: rate, ceiling: -1)
        #expect(Self.truePeakDB(output, rate: rate) <= -1.0 + 1e-4)
        #expect(LibEBUR128ComparisonTests.libebur128(output, rate: rate).truePeak.max()! <= -1.0 + Self.libebur128OverRead)
        #expect(limiter.minimumGain < 1)
        let before = measure(song.channels, rate: rate).integratedLUFS!
        let after = measure(output, rate: rate).integratedLUFS!
        #expect(after - before > 6, "gained \(after - before) LU of the 12 dB")
    }
}

