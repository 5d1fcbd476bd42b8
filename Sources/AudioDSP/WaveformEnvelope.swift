import AudioCore

/// The outline of a waveform for drawing: the lowest and highest sample of
/// each channel in each of `columns` consecutive slices of the track, the way an
/// editor draws a track too long to show sample by sample.
///
/// Streaming, and it needs no length up front (a header's length is only an
/// announcement: a stream can end sooner, or not say): it keeps extremes per
/// bucket of `bucketFrames` frames, at most `2 * columns` buckets, and when they
/// fill, merges neighbours pairwise and doubles the bucket. Min and max merge
/// exactly, so each column holds the true extremes of its frames; columns are
/// whole buckets, so their lengths differ by at most one bucket (about a column's
/// share of the track). Memory: four floats per bucket and channel.
public struct WaveformEnvelope: Sendable, BlockConsumer {
    public let columns: Int
    /// Frames per bucket: 1, doubling as the track grows past `2 * columns` buckets.
    public private(set) var bucketFrames = 1
    /// Frames added so far.
    public private(set) var frameCount = 0
    private var low: [[Float]]
    private var high: [[Float]]
    /// Buckets in use, the last one possibly partial.
    private var buckets = 0

    public init(channelCount: Int, columns: Int) {
        precondition(channelCount > 0 && columns > 0)
        self.columns = columns
        low = Array(repeating: [], count: channelCount)
        high = Array(repeating: [], count: channelCount)
        for c in 0..<channelCount {
            low[c].reserveCapacity(2 * columns)
            high[c].reserveCapacity(2 * columns)
        }
    }

    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        guard let n = channels.first?.count, n > 0 else { return }
        var start = 0
        while start < n {
            let inBucket = frameCount % bucketFrames
            if inBucket == 0 { openBucket() }
            let end = min(n, start + bucketFrames - inBucket)
            let b = buckets - 1
            for (k, channel) in channels.enumerated() {
                var lo = low[k][b], hi = high[k][b]
                for i in start..<end {
                    let x = channel[i]
                    // NaN compares false both ways and is skipped.
                    if x < lo { lo = x }
                    if x > hi { hi = x }
                }
                low[k][b] = lo
                high[k][b] = hi
            }
            frameCount += end - start
            start = end
        }
    }

    private mutating func openBucket() {
        if buckets == 2 * columns {
            for k in low.indices {
                for i in 0..<columns {
                    low[k][i] = min(low[k][2 * i], low[k][2 * i + 1])
                    high[k][i] = max(high[k][2 * i], high[k][2 * i + 1])
                }
                low[k].removeLast(columns)
                high[k].removeLast(columns)
            }
            buckets = columns
            bucketFrames *= 2
        }
        for k in low.indices {
            low[k].append(.infinity)
            high[k].append(-.infinity)
        }
        buckets += 1
    }

    /// The frames column `column` covers: whole buckets, in order, together all
    /// frames added; empty only while there are fewer frames than columns.
    public func frames(ofColumn column: Int) -> Range<Int> {
        let range = bucketRange(column)
        return min(frameCount, range.lowerBound * bucketFrames) ..< min(frameCount, range.upperBound * bucketFrames)
    }

    private func bucketRange(_ column: Int) -> Range<Int> {
        ((column * buckets + columns - 1) / columns) ..< (((column + 1) * buckets + columns - 1) / columns)
    }

    /// Per channel, per column: the lowest sample; +inf where a column saw no finite sample.
    public var minimum: [[Float]] { low.map { perColumn($0, empty: .infinity, keep: <) } }

    /// Per channel, per column: the highest sample; -inf where a column saw no finite sample.
    public var maximum: [[Float]] { high.map { perColumn($0, empty: -.infinity, keep: >) } }

    /// One value per column from the buckets it covers: the one `keep` prefers.
    private func perColumn(_ buckets: [Float], empty: Float, keep: (Float, Float) -> Bool) -> [Float] {
        var out = [Float](repeating: empty, count: columns)
        for column in 0..<columns {
            var value = empty
            for b in bucketRange(column) where b < buckets.count && keep(buckets[b], value) { value = buckets[b] }
            out[column] = value
        }
        return out
    }
}
