import AudioCore
import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

/// The preview's prediction of the loudness the limiter takes, against the
/// limiter itself run on the same audio and measured by the BS.1770-4 meter.
@Suite struct LimiterPreviewTests {
    /// The preview of `channels`, gains asked about from `knownGainDB` (nil: estimated from the frames, as in analysis).
    static func preview(_ channels: [[Float]], rate: Int, ceiling: Double, block: Int = 16_384,
                        targetLUFS: Double = -14, knownGainDB: Double? = 0) -> LimiterPreview {
        var preview = LimiterPreview(channelCount: channels.count, sampleRate: rate,
                                     channelWeights: Array(repeating: 1, count: channels.count),
                                     parameters: LimiterParameters(ceilingDBTP: ceiling),
                                     goal: .init(targetLUFS: targetLUFS, knownGainDB: knownGainDB))
        var offset = 0
        while offset < channels[0].count {
            let end = min(channels[0].count, offset + block)
            channels.map { Array($0[offset ..< end]) }.withUnsafeChannelPointers { preview.add($0) }
            offset = end
        }
        preview.finish()
        return preview
    }

    /// What the limiter really takes: integrated loudness after it, less before it.
    static func realChange(_ channels: [[Float]], rate: Int, ceiling: Double) -> Double {
        let limited = TruePeakLimiterTests.limit(channels, rate: rate, ceiling: ceiling).output
        return measure(limited, rate: rate).integratedLUFS! - measure(channels, rate: rate).integratedLUFS!
    }

    /// From barely touched to 6 dB of limiting, on two arrangements and two rates:
    /// the prediction is within 0.003 LU plus 1.5 % of the change (measured: under 0.8 %).
    @Test(arguments: [(44_100, UInt64(3)), (48_000, UInt64(8))])
    func predictsWhatTheLimiterTakesFromMusic(rate: Int, seed: UInt64) {
        let song = MusicSynth(sampleRate: rate, seed: seed).render(plan: [("intro", 4), ("verse", 8), ("chorus", 8), ("outro", 4)])
        let peak = TruePeakLimiterTests.truePeakDB(song.channels, rate: rate)
        let base = TruePeakLimiterTests.scaled(song.channels, dB: -1 - peak)   // true peak at the ceiling
        let preview = Self.preview(base, rate: rate, ceiling: -1)
        #expect(preview.limitingChange(gainDB: -0.5) == 0)
        for makeup in [0.5, 1.5, 3.0, 6.0] {
            let real = Self.realChange(TruePeakLimiterTests.scaled(base, dB: makeup), rate: rate, ceiling: -1)
            let predicted = preview.limitingChange(gainDB: makeup)!
            #expect(real < 0)
            #expect(abs(predicted - real) <= 0.003 + 0.015 * abs(real),
                    "at +\(makeup) dB, \(rate) Hz: predicted \(predicted) LU, the limiter took \(real) LU")
        }
    }

    /// The same audio in blocks of any size gives the same windows, so the same answers.
    @Test func blockSizeDoesNotMatter() {
        let rate = 44_100
        let song = MusicSynth(sampleRate: rate, seed: 5).render(plan: [("verse", 5), ("chorus", 5)])
        let hot = TruePeakLimiterTests.scaled(song.channels, dB: 3)
        let a = Self.preview(hot, rate: rate, ceiling: -1, block: 65_536)
        let b = Self.preview(hot, rate: rate, ceiling: -1, block: 1_001)
        #expect(a.limitingChange(gainDB: 1) == b.limitingChange(gainDB: 1))
    }

    /// Fed at the file's level before its loudness is known (the analysis pass),
    /// the preview answers exactly as one fed with the gain known, at every gain
    /// up to the gain to the target plus its headroom: the peaks that decide the
    /// limiter's work were all measured. (Fails if the estimated level skipped them.)
    @Test(arguments: [-14.0, -9.0])
    func answersLikeAPassWithTheGainKnown(targetLUFS: Double) {
        let rate = 44_100
        let song = MusicSynth(sampleRate: rate, seed: 11).render(plan: [("intro", 4), ("verse", 8), ("chorus", 8)])
        let quiet = TruePeakLimiterTests.scaled(song.channels, dB: -12)
        let gain = targetLUFS - measure(quiet, rate: rate).integratedLUFS!
        let estimated = Self.preview(quiet, rate: rate, ceiling: -1, targetLUFS: targetLUFS, knownGainDB: nil)
        let known = Self.preview(quiet, rate: rate, ceiling: -1, targetLUFS: targetLUFS, knownGainDB: gain)
        #expect(estimated.reliableGainDB >= gain + estimated.headroomDB)
        for makeup in [0.0, 1.0, 3.0, 6.0] {
            let a = estimated.limitingChange(gainDB: gain + makeup)!
            #expect(a < 0, "the gain to \(targetLUFS) LUFS must call for limiting")
            #expect(a == known.limitingChange(gainDB: gain + makeup)!)
        }
    }

    /// A track whose long ending is far quieter than its start: the running
    /// estimate of its loudness was too high while the start played, so the
    /// preview says it cannot answer for the gain the whole track needs.
    @Test func saysWhenItsEstimateWasTooHigh() {
        let rate = 48_000
        let song = MusicSynth(sampleRate: rate, seed: 4).render(plan: [("chorus", 6), ("outro", 30)])
        let split = 6 * rate
        let shaped = song.channels.map { ch in
            ch.enumerated().map { i, v in i < split ? v : v * 0.4 }   // -8 dB after the first 6 s: inside the relative gate
        }
        let gain = -14 - measure(shaped, rate: rate).integratedLUFS!
        let estimated = Self.preview(shaped, rate: rate, ceiling: -1, knownGainDB: nil)
        #expect(estimated.reliableGainDB < gain + estimated.headroomDB)
    }
}
