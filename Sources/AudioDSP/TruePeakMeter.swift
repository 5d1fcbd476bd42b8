import AudioCore

/// Streaming sample-peak and true-peak measurement per channel (ITU-R BS.1770-4, Annex 2).
///
/// The true peak of a channel is the largest `TruePeakEstimator` estimate of
/// it: the largest magnitude among the input samples and the 4x (2x at 96 kHz
/// and above) interpolated points, each interval's largest point refined by a
/// parabola through its neighbours, which recovers most of what any fixed
/// oversampling grid misses. The reading is therefore never below the BS.1770
/// value, closer to the peak of the reconstructed signal, and the very number the
/// limiter limits by (`TruePeakLimiter` uses the same estimator).
///
/// Each channel's estimator measures only what can raise the reading (its
/// level is the channel's peak so far), which skips the quiet stretches of
/// music exactly. State is a few dozen samples of history per channel; memory
/// does not grow with the length of the input.
public struct TruePeakMeter: Sendable, BlockConsumer {
    public let channelCount: Int
    public let filter: OversamplingFilter
    /// One per channel: a channel's true peak is its own.
    private var estimators: [TruePeakEstimator]
    private var samplePeaks: [Float]
    private var interpolatedPeaks: [Float]
    /// Skip stretches that cannot raise the reading (exact either way; off only to verify that).
    public let skipsQuietStretches: Bool

    public init(channelCount: Int, sampleRate: Int) {
        self.init(channelCount: channelCount, filter: OversamplingFilter(factor: OversamplingFilter.factor(forSampleRate: sampleRate)))
    }

    public init(channelCount: Int, filter: OversamplingFilter, skipsQuietStretches: Bool = true) {
        self.channelCount = channelCount
        self.skipsQuietStretches = skipsQuietStretches
        self.filter = filter
        estimators = Array(repeating: TruePeakEstimator(channelCount: 1, filter: filter, level: 0), count: channelCount)
        samplePeaks = Array(repeating: 0, count: channelCount)
        interpolatedPeaks = Array(repeating: 0, count: channelCount)
    }

    /// Largest absolute sample value per channel (linear).
    public var samplePeak: [Double] { samplePeaks.map(Double.init) }

    /// True peak per channel (linear), including the interpolated points around
    /// the last samples, as if the signal ended in silence.
    public var truePeak: [Double] {
        guard filter.factor > 1 else { return samplePeak }
        var flushed = self
        let silence = [Float](repeating: 0, count: filter.tapsPerPhase)
        silence.withUnsafeBufferPointer { zeros in
            flushed.add(Array(repeating: zeros, count: channelCount))
        }
        return (0..<channelCount).map { Double(max(samplePeaks[$0], flushed.interpolatedPeaks[$0])) }
    }

    /// Adds one block: one buffer per channel, all of the same length. Samples must be finite.
    public mutating func add(_ channels: [UnsafeBufferPointer<Float>]) {
        precondition(channels.count == channelCount)
        for c in 0..<channelCount {
            samplePeaks[c] = max(samplePeaks[c], TruePeakEstimator.maxMagnitude(channels[c]))
            guard filter.factor > 1, !channels[c].isEmpty else { continue }
            estimators[c].level = skipsQuietStretches ? max(samplePeaks[c], interpolatedPeaks[c]) : 0
            estimators[c].estimate(channels[c])
            let block = estimators[c].peaks.withUnsafeBufferPointer {
                TruePeakEstimator.maxMagnitude(UnsafeBufferPointer(rebasing: $0[0 ..< channels[c].count]))
            }
            interpolatedPeaks[c] = max(interpolatedPeaks[c], block)
        }
    }
}
