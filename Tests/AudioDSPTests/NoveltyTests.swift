import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct FFTTests {
    /// Against the direct DFT of a random signal, at sizes that use only the
    /// scalar stages (2, 4), both kinds (64) and mostly SIMD stages (2048).
    @Test(arguments: [2, 4, 64, 2048])
    func matchesTheDirectTransform(n: Int) {
        var rng = SeededRandom(seed: 5)
        let x = (0..<n).map { _ in rng.bipolar() }
        var re = x, im = [Float](repeating: 0, count: n)
        FFT(size: n).transform(real: &re, imaginary: &im)
        for k in 0..<n {
            var sr = 0.0, si = 0.0
            for t in 0..<n {
                sr += Double(x[t]) * cos(-2 * .pi * Double(k * t) / Double(n))
                si += Double(x[t]) * sin(-2 * .pi * Double(k * t) / Double(n))
            }
            // Single-precision rounding grows with the size: 2e-6 * n is 1.3e-4 at 64 points.
            let tolerance = 2e-6 * Double(max(n, 50))
            #expect(abs(Double(re[k]) - sr) < tolerance && abs(Double(im[k]) - si) < tolerance, "bin \(k) of \(n)")
        }
    }
}

@Suite struct NoveltyTests {
    func curve(_ audio: AudioBuffer) -> NoveltyCurve {
        var features = SpectralFeatures(sampleRate: audio.sampleRate)
        audio.channels[0].withUnsafeBufferPointer { l in
            audio.channels[1].withUnsafeBufferPointer { r in features.add([l, r]) }
        }
        return NoveltyCurve.sectionChanges(features: features)
    }

    /// Sections that change key, tempo and arrangement at the planned times: each
    /// change is found within 0.25 s, at 0.95 or more (the fixed strength the
    /// gate used before its plan test) and well above the track's median novelty.
    /// (Subtler changes, such as the synthesiser's bridge into its outro, which
    /// share their instruments, are not reliably found: see the evaluation.)
    @Test func findsPlannedSectionChanges() {
        let plan: [(name: String, seconds: Double)] = [("intro", 12), ("chorus", 15), ("verse", 10), ("outro", 12)]
        let novelty = curve(MusicSynth(sampleRate: 44_100, seed: 9).render(plan: plan))
        let typical = novelty.values.filter { $0 > 0 }.sorted()[novelty.values.filter { $0 > 0 }.count / 2]
        for boundary in [12.0, 27.0, 37.0] {
            let found = novelty.strongest(near: boundary, window: 3)
            #expect(found.map { abs($0.time - boundary) <= 0.25 } == true, "\(boundary): found \(String(describing: found))")
            #expect((found?.strength ?? 0) >= 0.95, "\(boundary): \(String(describing: found))")
            #expect((found?.strength ?? 0) > 1.75 * typical, "\(boundary): \(String(describing: found)) vs typical \(typical)")
        }
    }

    @Test func peaksAreLocalMaximaStrongestFirst() {
        let curve = NoveltyCurve(framePeriod: 0.5, values: [0, 1, 3, 1, 0, 2, 2.5, 2, 0, 0, 4, 0])
        let peaks = curve.peaks(separation: 1)
        #expect(peaks.map(\.time) == [5, 1, 3])
        #expect(peaks.map(\.strength) == [4, 3, 2.5])
        #expect(curve.peaks(separation: 2.5).map(\.time) == [5, 1])
        #expect(curve.strongest(near: 2.5, window: 1)! == (time: 3, strength: 2.5))
    }

    /// The other side, on real music: 24 s of spunkyrace (48-72 s) inside one of
    /// its sections (the evaluation's annotations put its changes at 45.2 and
    /// 74.9 s). No change near the claimed boundaries reaches 0.95 (the fixed
    /// strength the gate used before its plan test; `PlanAlignmentTests` judge plans).
    @Test func doesNotConfirmClaimsInsideOneSectionOfRealMusic() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/games/etr/music/spunkyrace-ks.ogg") else {
            Issue.record("extremetuxracer-data is not installed: run scripts/setup.sh")
            return
        }
        let a = try SoundFile.readAll(path: "/usr/share/games/etr/music/spunkyrace-ks.ogg")
        let rate = a.sampleRate
        let excerpt = AudioBuffer(sampleRate: rate, channels: a.channels.map { Array($0[(48 * rate)..<(72 * rate)]) })
        let novelty = curve(excerpt)
        for claim in stride(from: 6.0, through: 18.0, by: 2.0) {
            let found = novelty.strongest(near: claim, window: 3)
            #expect((found?.strength ?? 0) < 0.95, "claim at \(claim) s: \(String(describing: found))")
        }
    }

    /// Real music (two pieces from Debian's extremetuxracer-data, GPL-2+,
    /// installed by scripts/setup.sh): excerpts joined with a 0.2 s crossfade;
    /// the join is found within 0.5 s and confirmed.
    @Test func findsAJoinOfRealRecordings() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/games/etr/music/freezingpoint.ogg") else {
            Issue.record("extremetuxracer-data is not installed: run scripts/setup.sh")
            return
        }
        let a = try SoundFile.readAll(path: "/usr/share/games/etr/music/freezingpoint.ogg")
        let b = try SoundFile.readAll(path: "/usr/share/games/etr/music/spunkyrace-ks.ogg")
        let rate = a.sampleRate, cut = 10 * rate, fade = rate / 5
        var joined = a.channels.map { Array($0[(30 * rate)..<(30 * rate + cut)]) }
        for c in 0..<2 {
            let next = Array(b.channels[c][(40 * rate)..<(50 * rate)])
            for i in 0..<fade {
                let g = Float(i) / Float(fade)
                joined[c][cut - fade + i] = joined[c][cut - fade + i] * (1 - g) + next[i] * g
            }
            joined[c] += next[fade...]
        }
        let found = curve(AudioBuffer(sampleRate: rate, channels: joined)).strongest(near: 10, window: 3)
        let join = Double(cut - fade / 2) / Double(rate)
        #expect(found.map { abs($0.time - join) <= 0.5 } == true, "\(String(describing: found))")
        // Clearly above continuous music (1.02 against the 0.95 the gate once used).
        #expect((found?.strength ?? 0) >= 0.95, "\(String(describing: found))")
    }
}

import AudioIO

@Suite struct SpectralFeaturesTests {
    /// Overlapping frames: one every `hop` samples once the first is full; a
    /// 1 kHz tone lands in the chroma bin of B (MIDI 83, pitch class 11).
    @Test func framingAndChroma() {
        let rate = 44_100
        let tone = (0..<rate).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / Double(rate))) }
        for (size, hop) in [(2048, 2048), (4096, 2048)] {
            var f = SpectralFeatures(sampleRate: rate, frameSize: size, hop: hop)
            tone.withUnsafeBufferPointer { f.add([$0]) }
            #expect(f.frameCount == (rate - size) / hop + 1, "\(size)/\(hop)")
            #expect(abs(f.framePeriod - Double(hop) / Double(rate)) < 1e-12)
            let d = SpectralFeatures.dimension, b = SpectralFeatures.bandCount
            let chroma = Array(f.features[b ..< d])
            #expect(chroma.firstIndex(of: chroma.max()!) == 11, "\(chroma)")
        }
    }
}

@Suite struct RealPowerSpectrumTests {
    /// Against the complex FFT of the same real frame.
    @Test func matchesTheComplexTransform() {
        var rng = SeededRandom(seed: 8)
        let n = 256
        let x = (0..<n).map { _ in rng.bipolar() }
        var re = x, im = [Float](repeating: 0, count: n)
        FFT(size: n).transform(real: &re, imaginary: &im)
        var spectrum = RealPowerSpectrum(size: n)
        var power = [Float](repeating: 0, count: n / 2 + 1)
        x.withUnsafeBufferPointer { xs in power.withUnsafeMutableBufferPointer { spectrum.compute(xs, into: $0) } }
        for k in 0...n / 2 {
            let expected = re[k] * re[k] + im[k] * im[k]
            #expect(abs(power[k] - expected) <= 1e-3 * max(1, expected), "bin \(k): \(power[k]) vs \(expected)")
        }
    }
}
