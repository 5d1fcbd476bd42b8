import AudioCore
import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct DefectScannerTests {
    static let rate = 44_100

    func scan(_ channels: [[Float]], block: Int = 4096) -> DefectFindings {
        var scanner = DefectScanner(sampleRate: Self.rate, channelCount: channels.count)
        let frames = channels[0].count
        var offset = 0
        while offset < frames {
            let end = min(frames, offset + block)
            channels.map { Array($0[offset..<end]) }.withUnsafeChannelPointers { scanner.add($0) }
            offset = end
        }
        return scanner.findings
    }

    /// Eight seconds of music-like audio that decays at the end.
    func music(seconds: Double = 8, fadeOut: Double = 3) -> [[Float]] {
        MusicSynth(sampleRate: Self.rate, seed: 3)
            .render(sections: [(MusicSynth.Style.forSection("chorus"), seconds)], fadeOut: fadeOut).channels
    }

    func silence(_ seconds: Double) -> [Float] { [Float](repeating: 0, count: Int(seconds * Double(Self.rate))) }

    @Test func leadingAndTrailingSilence() {
        let m = music()
        let f = scan(m.map { silence(1.5) + $0 + silence(2) })
        let spans = f.silences(below: -60, minimum: 0.2)
        #expect(spans.count == 2)
        #expect(spans.first!.start == 0 && abs(spans.first!.end - 1.5) <= 0.02)
        #expect(abs(spans.last!.end - 11.5) < 0.02)
        // The fade-out reaches -60 dBFS a little before the written silence starts.
        #expect(spans.last!.start > 9 && spans.last!.start <= 9.5)
    }

    @Test func aDropoutBetweenMusic() {
        let m = music()
        let cut = Int(4.0 * Double(Self.rate)), gap = Int(0.35 * Double(Self.rate))
        let broken = m.map { channel -> [Float] in
            var c = channel
            c.replaceSubrange(cut ..< cut + gap, with: repeatElement(0, count: gap))
            return c
        }
        let gaps = scan(broken).silences(below: -60, minimum: 0.2).filter { $0.start > 0.5 && $0.end < 7 }
        #expect(gaps.count == 1)
        #expect(abs(gaps[0].start - 4.0) <= 0.01 && abs(gaps[0].duration - 0.35) <= 0.02)
    }

    /// A 200 Hz sine driven 1.6x into a hard clip: two flat tops a cycle. The
    /// same clipped wave turned down to -3 dBFS keeps them, at -3 dBFS; the
    /// unclipped 1.6x wave in float has none, only samples beyond full scale.
    @Test func clippingIsFlatTopsAtWhateverLevel() {
        let w = 2 * Double.pi * 200 / Double(Self.rate)
        let driven = (0..<Self.rate).map { 1.6 * sin(w * Double($0)) }
        let hot = driven.map { Float(max(-1, min(1, $0))) }
        let clipped = scan([hot])
        #expect(clipped.flatTopCount == 400)   // two flat tops per cycle, 200 cycles
        #expect(clipped.clipRuns.allSatisfy { $0.samples > 3 && $0.levelDBFS == 0 })
        let turnedDown = scan([hot.map { $0 * 0.707_945_8 }])   // -3 dB
        #expect(turnedDown.flatTopCount == 400)
        #expect(turnedDown.clipRuns.allSatisfy { abs($0.levelDBFS - -3) < 0.001 })
        #expect(turnedDown.clippedSamples == clipped.clippedSamples)

        let intact = scan([driven.map { Float($0) }])
        #expect(intact.clipRuns.isEmpty)
        #expect(intact.overSamples == driven.filter { abs(Float($0)) > 1 }.count)
        #expect(abs(intact.channelPeakDBFS[0]! - 20 * log10(1.6)) < 0.01)
        #expect(scan([(0..<Self.rate).map { Float(0.95 * sin(w * Double($0))) }]).clipRuns.isEmpty)
    }

    /// One click above a clipped track does not hide its clipping: flat tops are
    /// measured against the level ten frames reach, not the loudest sample.
    @Test func aClickDoesNotHideClipping() {
        let w = 2 * Double.pi * 200 / Double(Self.rate)
        var clipped = (0..<Self.rate).map { Float(max(-1, min(1, 1.6 * sin(w * Double($0))))) * 0.707_945_8 }
        clipped[10_000] = 0.944   // -0.5 dBFS
        let f = scan([clipped])
        #expect(f.flatTopCount >= 399 && f.clipRuns.allSatisfy { abs($0.levelDBFS - -3) < 0.001 }, "\(f.flatTopCount)")
    }

    /// A square wave has a flat top every half cycle: all are counted, a bounded
    /// number are kept (32 per level and channel), the first of all among them.
    @Test func manyFlatTopsAreCountedWithBoundedMemory() {
        let square = (0..<(60 * Self.rate)).map { ($0 / 3) % 2 == 0 ? Float(0.5) : -0.5 }
        let f = scan([square, square])
        #expect(f.flatTopCount == 2 * square.count / 3)
        #expect(f.clipRuns.count == 64 && f.clipRuns.first?.start == 0)
    }

    /// Quantised to 16 bits, clean music has identical neighbours at the crests of
    /// low notes, but not three in a row within 1 dB of its peak.
    @Test func cleanSixteenBitMusicHasNoFlatTops() {
        let m = music(seconds: 8, fadeOut: 1)
        let peak = m.flatMap { $0 }.map(abs).max()!
        let sixteenBit = m.map { $0.map { ($0 / peak * 32_767).rounded() / 32_768 } }
        let f = scan(sixteenBit)
        #expect(f.clipRuns.isEmpty, "\(f.clipRuns.prefix(3))")
        #expect(f.overSamples == 0)
    }

    /// Each channel's level: digital silence has none.
    @Test func channelLevels() {
        let m = music(seconds: 4)
        let f = scan([m[0], m[1].map { $0 * 0.1 }, silence(4)])
        let rms = { (x: [Float]) in 10 * log10(x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)) }
        #expect(abs(f.channelRMSDBFS[0]! - rms(m[0])) < 0.001)
        #expect(abs(f.channelRMSDBFS[1]! - (rms(m[1]) - 20)) < 0.001)
        #expect(f.channelRMSDBFS[2] == nil && f.channelPeakDBFS[2] == nil)
    }

    @Test func dcOffsetAndNonFiniteSamples() {
        var m = music(seconds: 4).map { $0.map { $0 + 0.05 } }
        m[0][100] = .nan
        m[1][200] = -.infinity
        let f = scan(m)
        #expect(f.dcOffset.allSatisfy { abs($0 - 0.05) < 0.005 }, "\(f.dcOffset)")
        #expect(f.nonFiniteSamples == 2)
    }

    @Test func monoStoredAsStereoAndInvertedChannels() {
        let left = music(seconds: 3)[0]
        let identical = scan([left, left])
        #expect(identical.channelsIdentical && identical.channelCorrelation! > 0.9999)
        let inverted = scan([left, left.map { -$0 }])
        #expect(!inverted.channelsIdentical && inverted.channelCorrelation! < -0.9999)
        let stereo = scan(music(seconds: 3))
        #expect(!stereo.channelsIdentical && stereo.channelCorrelation! < 0.999)
    }

    /// A natural ending decays far below the loud parts; a cut-off one does not.
    @Test func endingDrop() {
        let decaying = scan(music(seconds: 8, fadeOut: 3)).endingDrop(silenceDBFS: -60)!
        let cut = scan(music(seconds: 8, fadeOut: 0)).endingDrop(silenceDBFS: -60)!
        #expect(decaying > 20, "\(decaying)")
        #expect(cut < 3, "\(cut)")
    }

    /// Frame levels and clip runs are identical for any block size; running
    /// means may differ in the last digits, as floating-point sums grouped differently do.
    @Test func blockSizeDoesNotMatter() {
        // Clipped in places, so flat tops cross block edges too.
        let m = music(seconds: 3).map { silence(0.5) + $0.map { max(-0.3, min(0.3, $0)) } }
        let (a, b) = (scan(m, block: 1), scan(m, block: 10_000))
        #expect(!a.clipRuns.isEmpty)
        #expect(a.frameLevels == b.frameLevels && a.clipRuns == b.clipRuns && a.clippedSamples == b.clippedSamples)
        #expect(zip(a.dcOffset, b.dcOffset).allSatisfy { abs($0 - $1) <= 1e-12 * max(1e-9, abs($0)) })
        #expect(abs(a.channelCorrelation! - b.channelCorrelation!) < 1e-12)
    }
}
