import AudioDSP
import Testing

@Suite struct KWeightingTests {
    /// BS.1770-4 Annex 1, Tables 1 and 2 (48 kHz).
    @Test func matchesTheTabulatedCoefficientsAt48kHz() {
        let pre = KWeighting.preFilter(sampleRate: 48_000)
        #expect(abs(pre.b0 - 1.53512485958697) < 1e-10)
        #expect(abs(pre.b1 - -2.69169618940638) < 1e-10)
        #expect(abs(pre.b2 - 1.19839281085285) < 1e-10)
        #expect(abs(pre.a1 - -1.69065929318241) < 1e-10)
        #expect(abs(pre.a2 - 0.73248077421585) < 1e-10)
        let rlb = KWeighting.highPass(sampleRate: 48_000)
        #expect(rlb.b0 == 1 && rlb.b1 == -2 && rlb.b2 == 1)
        #expect(abs(rlb.a1 - -1.99004745483398) < 1e-10)
        #expect(abs(rlb.a2 - 0.99007225036621) < 1e-10)
    }

    /// The analog response at every rate, compared point by point with 48 kHz once
    /// the high-pass numerator's rate-dependent gain (kept as libebur128 keeps it) is taken out.
    @Test(arguments: [22_050, 32_000, 44_100, 69_313, 96_000, 192_000])
    func responseDoesNotDependOnTheRate(_ rate: Int) {
        func gain(_ f: Double, _ r: Double) -> Double {
            20 * log10(KWeighting.preFilter(sampleRate: r).gain(at: f, sampleRate: r)
                       * KWeighting.highPass(sampleRate: r).gain(at: f, sampleRate: r)
                       / KWeighting.highPassPassbandGain(sampleRate: r))
        }
        for f in [20.0, 38.0, 100, 500, 997, 2000, 5000] {
            // The bilinear transform compresses the shelf's 1.7 kHz transition at low
            // rates: 0.022 dB at 22.05 kHz, under 0.006 dB from 44.1 kHz up.
            let tolerance = rate >= 44_100 ? 0.006 : 0.025
            #expect(abs(gain(f, Double(rate)) - gain(f, 48_000)) < tolerance, "\(f) Hz at \(rate)")
        }
        // The -0.691 dB constant of BS.1770-4 cancels the 48 kHz K-weighting gain at 997 Hz.
        let at997 = gain(997, 48_000) + 20 * log10(KWeighting.highPassPassbandGain(sampleRate: 48_000))
        #expect(abs(at997 - 0.691) < 0.001, "\(at997)")
    }

    @Test func theNumeratorQuirkIsAsDocumented() {
        func db(_ r: Double) -> Double { 20 * log10(KWeighting.highPassPassbandGain(sampleRate: r)) }
        #expect(abs(db(48_000) - 0.043) < 0.001)
        #expect(abs(db(44_100) - 0.047) < 0.001)
        #expect(abs(db(22_050) - 0.094) < 0.001)
        #expect(abs(db(96_000) - 0.022) < 0.001)
    }
}

import Foundation
