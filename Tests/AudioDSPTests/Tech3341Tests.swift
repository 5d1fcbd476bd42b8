import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

/// EBU Tech 3341 minimum requirements, cases 1-6 and 9-14; tolerance ±0.1 LU.
@Suite struct Tech3341Tests {
    static let tolerance = 0.1

    func expectNear(_ value: Double?, _ target: Double, _ what: String) {
        guard let value else { Issue.record("\(what): no reading"); return }
        #expect(abs(value - target) <= Self.tolerance, "\(what): \(value), expected \(target)")
    }

    @Test(arguments: complianceRates)
    func case1And2SteadyTones(_ rate: Int) {
        for level in [-23.0, -33.0] {
            var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1], truePeak: false)
            feed(&meter, EBUTestSignals.sequence([Seg(level, 20)], sampleRate: rate))
            expectNear(meter.measurement.integratedLUFS, level, "I at \(rate)")
            expectNear(meter.momentaryLUFS, level, "M at \(rate)")
            expectNear(meter.shortTermLUFS, level, "S at \(rate)")
        }
    }

    @Test(arguments: complianceRates)
    func case3To5Gating(_ rate: Int) {
        let sequences: [[Seg]] = [
            [Seg(-36, 10), Seg(-23, 60), Seg(-36, 10)],
            [Seg(-72, 10), Seg(-36, 10), Seg(-23, 60), Seg(-36, 10), Seg(-72, 10)],
            [Seg(-26, 20), Seg(-20, 20.1), Seg(-26, 20)],
        ]
        for (index, sequence) in sequences.enumerated() {
            let m = measure(EBUTestSignals.sequence(sequence, sampleRate: rate), rate: rate)
            expectNear(m.integratedLUFS, -23, "case \(index + 3) at \(rate)")
        }
    }

    /// Case 6: 5.0 channels at -28, -28, -24, -30, -30 dBFS; surrounds weigh 1.41.
    @Test(arguments: complianceRates)
    func case6Surround(_ rate: Int) {
        let signal = EBUTestSignals.sequence([Seg(nil, 20)], sampleRate: rate, channels: 5,
                                             channelLevels: [-28, -28, -24, -30, -30])
        let m = measure(signal, rate: rate, weights: [1, 1, 1, 1.41, 1.41])
        expectNear(m.integratedLUFS, -23, "case 6 at \(rate)")
    }

    /// Case 9: 1.34 s at -20 and 1.66 s at -30, five times: S holds -23 once 3 s are in.
    @Test(arguments: complianceRates)
    func case9ShortTermOfAPeriodicSignal(_ rate: Int) {
        var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1], truePeak: false)
        for i in 0..<5 {
            feed(&meter, EBUTestSignals.sequence([Seg(-20, 1.34)], sampleRate: rate))
            if i > 0 { expectNear(meter.shortTermLUFS, -23, "S after a -20 piece, at \(rate)") }
            feed(&meter, EBUTestSignals.sequence([Seg(-30, 1.66)], sampleRate: rate))
            expectNear(meter.shortTermLUFS, -23, "S after a -30 piece, at \(rate)")
        }
    }

    /// Cases 10 and 11: 3 s bursts after silences of varying length: the largest
    /// S of each burst equals its level, whatever its alignment to the meter's grid.
    @Test(arguments: complianceRates)
    func case10And11ShortTermBursts(_ rate: Int) {
        for i in 0..<20 {
            let level = -38.0 + Double(i)
            for burstLevel in [-23.0, level] {
                let m = measure(EBUTestSignals.sequence([Seg(nil, 1 + 0.15 * Double(i)), Seg(burstLevel, 3), Seg(nil, 1)],
                                                        sampleRate: rate), rate: rate)
                expectNear(m.maxShortTermLUFS, burstLevel, "burst \(i) at \(rate)")
            }
        }
    }

    /// Case 12: 0.18 s at -20 and 0.22 s at -30, repeated: M holds -23.
    @Test(arguments: complianceRates)
    func case12MomentaryOfAPeriodicSignal(_ rate: Int) {
        var meter = LoudnessMeter(sampleRate: rate, channelWeights: [1, 1], truePeak: false)
        for i in 0..<25 {
            feed(&meter, EBUTestSignals.sequence([Seg(-20, 0.18)], sampleRate: rate))
            if i > 1 { expectNear(meter.momentaryLUFS, -23, "M after a -20 piece, at \(rate)") }
            feed(&meter, EBUTestSignals.sequence([Seg(-30, 0.22)], sampleRate: rate))
            if i > 1 { expectNear(meter.momentaryLUFS, -23, "M after a -30 piece, at \(rate)") }
        }
    }

    /// Cases 13 and 14: 0.4 s bursts (exactly one momentary window) after silences
    /// that move them against the grid in 20 ms steps. A 100 ms grid misses these
    /// by up to 1.2 LU and a 10 ms grid by 0.11 LU; the meter's 5 ms grid stays within 0.06.
    @Test(arguments: complianceRates)
    func case13And14MomentaryBursts(_ rate: Int) {
        for i in 0..<20 {
            for burstLevel in [-23.0, -38.0 + Double(i)] {
                let m = measure(EBUTestSignals.sequence([Seg(nil, 1 + 0.02 * Double(i)), Seg(burstLevel, 0.4), Seg(nil, 1)],
                                                        sampleRate: rate), rate: rate)
                expectNear(m.maxMomentaryLUFS, burstLevel, "burst \(i) at \(rate)")
            }
        }
    }
}

/// EBU Tech 3342 cases 1-4: tone sequences with a known loudness range (±1 LU allowed).
@Suite struct Tech3342Tests {
    @Test(arguments: complianceRates)
    func loudnessRange(_ rate: Int) {
        let cases: [([Seg], Double)] = [
            ([Seg(-20, 20), Seg(-30, 20)], 10),
            ([Seg(-20, 20), Seg(-15, 20)], 5),
            ([Seg(-40, 20), Seg(-20, 20)], 20),
            ([Seg(-50, 20), Seg(-35, 20), Seg(-20, 20), Seg(-35, 20), Seg(-50, 20)], 15),
        ]
        for (index, (sequence, expected)) in cases.enumerated() {
            let lra = measure(EBUTestSignals.sequence(sequence, sampleRate: rate), rate: rate).loudnessRangeLU
            // The standard allows ±1 LU; these exact tone steps come out within 0.1.
            #expect(lra.map { abs($0 - expected) <= 0.1 } == true, "case \(index + 1) at \(rate): \(String(describing: lra))")
        }
    }
}
