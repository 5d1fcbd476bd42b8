import AudioCore
import AudioDSP
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct WaveformEnvelopeTests {
    func envelope(_ channels: [[Float]], columns: Int, block: Int) -> WaveformEnvelope {
        var envelope = WaveformEnvelope(channelCount: channels.count, columns: columns)
        var offset = 0
        while offset < channels[0].count {
            let end = min(channels[0].count, offset + block)
            channels.map { Array($0[offset..<end]) }.withUnsafeChannelPointers { envelope.add($0) }
            offset = end
        }
        return envelope
    }

    /// Against the definition: the columns cover the frames in order, each its
    /// slice's extremes, and no column is much longer than its share, without
    /// the length being known up front.
    @Test(arguments: [1, 100, 4096, 100_000])
    func eachColumnHoldsItsSlicesExtremes(block: Int) {
        let music = MusicSynth(sampleRate: 44_100, seed: 5).render(plan: [("verse", 3)]).channels
        let columns = 997   // prime: slices of unequal length
        let e = envelope(music, columns: columns, block: block)
        let n = music[0].count
        #expect(e.frameCount == n)
        let minimum = e.minimum, maximum = e.maximum
        var next = 0
        for c in 0..<columns {
            let range = e.frames(ofColumn: c)
            #expect(range.lowerBound == next && !range.isEmpty, "column \(c): \(range)")
            // Whole buckets of at most n / columns frames: at most twice a column's share, plus one bucket.
            #expect(range.count <= 2 * n / columns + e.bucketFrames, "column \(c) has \(range.count) frames")
            next = range.upperBound
            for (k, channel) in music.enumerated() {
                let slice = channel[range]
                #expect(minimum[k][c] == slice.min() && maximum[k][c] == slice.max(), "channel \(k) column \(c)")
            }
        }
        #expect(next == n)
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
