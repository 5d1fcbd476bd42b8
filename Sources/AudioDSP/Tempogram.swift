#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local rhythm periodicity, frame by frame: the autocorrelation tempogram of
/// Grosche and Müller, pooled into a few lag bands. A change of rhythm pattern
/// or tempo (drums entering, a half-time chorus, a different groove) is a
/// section cue of its own, which band levels and chroma miss when the
/// instruments and key stay.
///
/// The onset envelope is the rise of log energy between successive short steps
/// (`SpectralFeatures.levels`); for each frame it is autocorrelated over
/// `span` seconds either side of the frame's centre, at lags of `lags`
/// seconds (beat to bar periods), each lag divided by the zero-lag value, and
/// the lags averaged in `binCount` log-spaced bands.
public enum Tempogram {
    public static let binCount = 12

    /// Lags in steps: band b averages the lags in `edges[b] ..< edges[b + 1]`
    /// (at least `edges[b]`), spaced evenly in log lag.
    public static func bandEdges(stepRate: Double, lags: ClosedRange<Double> = 0.2...1.0) -> [Int] {
        let minLag = max(1, Int(lags.lowerBound * stepRate)), maxLag = max(minLag + 1, Int(lags.upperBound * stepRate))
        return (0...binCount).map { Int(Double(minLag) * pow(Double(maxLag) / Double(minLag), Double($0) / Double(binCount))) }
    }

    /// `binCount` values per frame of `features`, frame after frame; empty when
    /// the features carry no levels.
    public static func bands(of features: SpectralFeatures, span: Double = 1.5,
                             lags: ClosedRange<Double> = 0.2...1.0) -> [Float] {
        let step = features.levelStep
        let levels = features.levels
        let n = levels.count, frames = features.frameCount
        guard n > 1, frames > 0 else { return [] }
        let stepRate = Double(features.sampleRate) / Double(step)
        let half = Int(span * stepRate)
        let edges = bandEdges(stepRate: stepRate, lags: lags)

        var onset = [Double](repeating: 0, count: n)
        for i in 1..<n { onset[i] = Double(max(0, levels[i] - levels[i - 1])) }
        // Prefix sums of the envelope and its square.
        var s1 = [Double](repeating: 0, count: n + 1), s2 = s1
        for i in 0..<n { s1[i + 1] = s1[i] + onset[i]; s2[i + 1] = s2[i] + onset[i] * onset[i] }
        // Each frame's window [lo, hi) in steps, its mean and its zero-lag energy.
        var lo = [Int](repeating: 0, count: frames), hi = lo
        var mean = [Double](repeating: 0, count: frames), inverseZero = mean
        for t in 0..<frames {
            let centre = (t * features.hop + features.frameSize / 2) / step
            lo[t] = max(0, min(n, centre - half)); hi[t] = max(lo[t], min(n, centre + half))
            let count = Double(max(1, hi[t] - lo[t]))
            mean[t] = (s1[hi[t]] - s1[lo[t]]) / count
            inverseZero[t] = 1 / max(1e-9, (s2[hi[t]] - s2[lo[t]]) - count * mean[t] * mean[t])
        }

        var sums = [Double](repeating: 0, count: frames * binCount)
        var product = [Double](repeating: 0, count: n + 1)
        onset.withUnsafeBufferPointer { onset in
        s1.withUnsafeBufferPointer { s1 in
        product.withUnsafeMutableBufferPointer { product in
        sums.withUnsafeMutableBufferPointer { sums in
            for b in 0..<binCount {
                let lagsInBand = edges[b]..<max(edges[b] + 1, edges[b + 1])
                for lag in lagsInBand where lag < n {
                    // product[k]: sum of onset[i] * onset[i + lag] for i < k.
                    var running = 0.0
                    for i in 0..<(n - lag) {
                        running += onset[i] * onset[i + lag]
                        product[i + 1] = running
                    }
                    for t in 0..<frames {
                        let (start, end) = (lo[t], hi[t] - lag)
                        guard end > start else { continue }
                        let m = mean[t]
                        // Sum over i in [start, end) of (x_i - m)(x_{i+lag} - m), from the prefix sums.
                        let cross = product[end] - product[start]
                        let leading = s1[end] - s1[start], trailing = s1[end + lag] - s1[start + lag]
                        let covariance = cross - m * (leading + trailing) + Double(end - start) * m * m
                        sums[t * binCount + b] += covariance * inverseZero[t]
                    }
                }
                let width = 1 / Double(lagsInBand.count)
                for t in 0..<frames { sums[t * binCount + b] *= width }
            }
        }
        }
        }
        }
        return sums.map(Float.init)
    }
}
