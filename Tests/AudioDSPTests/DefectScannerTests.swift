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

    @Test func clippingIsRunsOfFullScale() {
        let w = 2 * Double.pi * 200 / Double(Self.rate)
        let hot = (0..<Self.rate).map { Float(max(-1, min(1, 1.6 * sin(w * Double($0))))) }
        let clean = (0..<Self.rate).map { Float(0.95 * sin(w * Double($0))) }
        let clipped = scan([hot])
        #expect(clipped.clipRuns.count == 400)   // two flat tops per cycle, 200 cycles
        #expect(clipped.clipRuns.allSatisfy { $0.samples > 3 })
        #expect(scan([clean]).clipRuns.isEmpty)
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
        let m = music(seconds: 3).map { silence(0.5) + $0 }
        let (a, b) = (scan(m, block: 1), scan(m, block: 10_000))
        #expect(a.frameLevels == b.frameLevels && a.clipRuns == b.clipRuns && a.clippedSamples == b.clippedSamples)
        #expect(zip(a.dcOffset, b.dcOffset).allSatisfy { abs($0 - $1) <= 1e-12 * max(1e-9, abs($0)) })
        #expect(abs(a.channelCorrelation! - b.channelCorrelation!) < 1e-12)
    }
}
