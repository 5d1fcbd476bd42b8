import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct WaveformEnvelopeTests {
    func envelope(_ channels: [[Float]], columns: Int, block: Int) -> WaveformEnvelope {
        var envelope = WaveformEnvelope(channelCount: channels.count, frameCount: channels[0].count, columns: columns)
        var offset = 0
        while offset < channels[0].count {
            let end = min(channels[0].count, offset + block)
            channels.map { Array($0[offset..<end]) }.withUnsafeChannelPointers { envelope.add($0) }
            offset = end
        }
        return envelope
    }

    /// Against the definition: column c covers frames [c n / C, (c + 1) n / C).
    @Test(arguments: [1, 100, 4096, 100_000])
    func eachColumnHoldsItsSlicesExtremes(block: Int) {
        let music = MusicSynth(sampleRate: 44_100, seed: 5).render(plan: [("verse", 3)]).channels
        let columns = 997   // prime: slices of unequal length
        let e = envelope(music, columns: columns, block: block)
        let n = music[0].count
        for (k, channel) in music.enumerated() {
            for c in 0..<columns {
                let start = (c * n + columns - 1) / columns, end = ((c + 1) * n + columns - 1) / columns
                let slice = channel[start..<end]
                #expect(e.minimum[k][c] == slice.min() && e.maximum[k][c] == slice.max(), "channel \(k) column \(c)")
            }
        }
    }

    @Test func nonFiniteSamplesAreLeftOutAndEmptyColumnsStayEmpty() {
        var samples = [Float](repeating: 0.25, count: 1000)
        samples[10] = .nan
        samples[20] = .infinity
        let e = envelope([samples], columns: 10, block: 64)
        #expect(e.maximum[0][0] == .infinity, "an infinite sample is the column's maximum, honestly")
        #expect(e.minimum[0][0] == 0.25 && e.maximum[0][5] == 0.25)
        // More columns than frames: the columns between frames see nothing.
        let sparse = envelope([[0.5, -0.5]], columns: 8, block: 2)
        #expect(sparse.maximum[0][0] == 0.5 && sparse.minimum[0][4] == -0.5)
        #expect(sparse.maximum[0][1] == -.infinity)
    }
}
