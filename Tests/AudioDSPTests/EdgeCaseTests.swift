import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct EdgeCaseTests {
    @Test func silenceHasNoLevelsAndSaysWhy() {
        let m = measure([[Float](repeating: 0, count: 48_000 * 5)], rate: 48_000, truePeak: true)
        #expect(m.integratedLUFS == nil && m.loudnessRangeLU == nil && m.maxMomentaryLUFS == nil)
        #expect(m.maxShortTermLUFS == nil && m.maxTruePeakDBTP == nil && m.maxSamplePeakDBFS == nil)
        #expect(m.unavailable[.integrated] == "silent: no 400 ms block above -70 LUFS")
        #expect(m.unavailable[.truePeak] == "digital silence")
    }

    @Test func quietButNotSilentIsBelowTheGate() {
        let signal = EBUTestSignals.sequence([Seg(-80, 5)], sampleRate: 48_000)
        let m = measure(signal, rate: 48_000, truePeak: true)
        #expect(m.integratedLUFS == nil)
        #expect(abs(m.maxMomentaryLUFS! - -80) < 0.1)
        #expect(abs(m.maxSamplePeakDBFS! - -80) < 0.01)
    }

    @Test func shorterThanOneBlock() {
        let m = measure(EBUTestSignals.sequence([Seg(-20, 0.3)], sampleRate: 44_100), rate: 44_100, truePeak: true)
        #expect(m.integratedLUFS == nil && m.maxMomentaryLUFS == nil)
        #expect(m.unavailable[.integrated] == "shorter than one 400 ms block")
        #expect(abs(m.maxSamplePeakDBFS! - -20) < 0.01)
    }

    @Test func shorterThanTheShortTermWindow() {
        let m = measure(EBUTestSignals.sequence([Seg(-20, 2)], sampleRate: 44_100), rate: 44_100)
        #expect(abs(m.integratedLUFS! - -20) < 0.05)
        #expect(m.maxShortTermLUFS == nil && m.loudnessRangeLU == nil)
        #expect(m.unavailable[.maxShortTerm] == "shorter than one 3 s short-term window")
    }

    @Test func nonFiniteSamplesAreCountedAndMeasuredAsSilence() {
        var signal = EBUTestSignals.sequence([Seg(-23, 10)], sampleRate: 48_000)
        signal[0][1000] = .nan
        signal[1][2000] = .infinity
        let m = measure(signal, rate: 48_000, truePeak: true)
        #expect(m.nonFiniteSamples == 2)
        #expect(abs(m.integratedLUFS! - -23) < 0.1)
        #expect(m.maxTruePeakDBTP!.isFinite)
    }

    /// Block size must not change any reading.
    @Test func blockSizeDoesNotMatter() {
        let audio = MusicSynth(sampleRate: 44_100, seed: 4).render(plan: [("intro", 4), ("chorus", 6)])
        let reference = measure(audio.channels, rate: 44_100, truePeak: true, block: 65_536)
        for block in [1, 7, 441, 1000, 4096] {
            let m = measure(audio.channels, rate: 44_100, truePeak: true, block: block)
            #expect(abs(m.integratedLUFS! - reference.integratedLUFS!) < 1e-9, "block \(block)")
            #expect(abs(m.loudnessRangeLU! - reference.loudnessRangeLU!) < 1e-9)
            #expect(abs(m.maxMomentaryLUFS! - reference.maxMomentaryLUFS!) < 1e-9)
            #expect(abs(m.maxTruePeakDBTP! - reference.maxTruePeakDBTP!) < 0.02, "block \(block)")
        }
    }
}
