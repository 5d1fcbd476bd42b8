/// Section-scale novelty: for each frame boundary, how far the mean feature
/// vector of the `halfWindow` seconds after it differs from that of the seconds
/// before it, measured in units of the variability inside those windows.
///
/// Per dimension the contrast is (mean_after - mean_before)^2 divided by the
/// average of the two windows' variances (plus a floor of 1, i.e. 1 dB, so a
/// steady tone does not divide by zero); the novelty is the root mean of these
/// over all dimensions. Ordinary motion inside a section (beats, a melody)
/// raises both variances and moves the means little; a change of section,
/// key or arrangement moves the means. Values are dimensionless: about 0.2-0.6
/// in continuous music, several times that at a clear section change.
public struct NoveltyCurve: Sendable, Equatable {
    /// Seconds per frame.
    public let framePeriod: Double
    /// `values[t]` scores the boundary between frame t - 1 and frame t, at t * framePeriod s.
    public let values: [Double]

    public init(framePeriod: Double, values: [Double]) {
        self.framePeriod = framePeriod
        self.values = values
    }

    /// - Parameters:
    ///   - features: frame after frame, `dimension` values each (as `SpectralFeatures` makes them).
    ///   - halfWindow: seconds compared on each side. At most half the shortest
    ///     section expected, so a window does not reach across two changes.
    public init(features: [Float], dimension: Int, framePeriod: Double, halfWindow: Double = 2.5) {
        self.framePeriod = framePeriod
        let frames = dimension > 0 ? features.count / dimension : 0
        let w = max(2, Int((halfWindow / framePeriod).rounded()))
        // Prefix sums of values and squares, per dimension.
        var sum = [Double](repeating: 0, count: (frames + 1) * dimension)
        var square = sum
        for t in 0..<frames {
            for d in 0..<dimension {
                let x = Double(features[t * dimension + d])
                sum[(t + 1) * dimension + d] = sum[t * dimension + d] + x
                square[(t + 1) * dimension + d] = square[t * dimension + d] + x * x
            }
        }
        var values = [Double](repeating: 0, count: frames + 1)
        for t in 0...frames {
            let (b0, a1) = (max(0, t - w), min(frames, t + w))
            let (nb, na) = (Double(t - b0), Double(a1 - t))
            // Near the ends a window needs at least half its length to be trusted.
            guard nb >= Double(w) / 2 && na >= Double(w) / 2 else { continue }
            var total = 0.0
            for d in 0..<dimension {
                let sb = sum[t * dimension + d] - sum[b0 * dimension + d]
                let qb = square[t * dimension + d] - square[b0 * dimension + d]
                let sa = sum[a1 * dimension + d] - sum[t * dimension + d]
                let qa = square[a1 * dimension + d] - square[t * dimension + d]
                let (mb, ma) = (sb / nb, sa / na)
                let vb = max(0, qb / nb - mb * mb), va = max(0, qa / na - ma * ma)
                total += (ma - mb) * (ma - mb) / (0.5 * (va + vb) + 1)
            }
            values[t] = (total / Double(dimension)).squareRoot()
        }
        self.values = values
    }

    /// The section-change detector TrackGate uses, chosen on the boundary
    /// evaluation (Benchmarks/README.md): spectral shape (each frame's band
    /// levels minus their mean, so beats and loudness swings do not dominate),
    /// chroma and the rhythm periodicity of `Tempogram`, averaged over
    /// half-windows of 1.5, 2.5 and 4 s.
    public static func sectionChanges(features: SpectralFeatures) -> NoveltyCurve {
        sectionChanges(SectionFeatures(features))
    }

    /// The same, from features already combined.
    public static func sectionChanges(_ section: SectionFeatures) -> NoveltyCurve {
        NoveltyCurve(averaging: [1.5, 2.5, 4].map {
            NoveltyCurve(features: section.values, dimension: section.dimension, framePeriod: section.framePeriod, halfWindow: $0)
        })
    }

    /// The mean of curves over the same frames, entry by entry, counting only the
    /// curves that have a value there (a longer window starts later and ends sooner).
    public init(averaging curves: [NoveltyCurve]) {
        framePeriod = curves.first?.framePeriod ?? 0
        values = (curves.first?.values.indices ?? 0..<0).map { i in
            let present = curves.map { $0.values[i] }.filter { $0 > 0 }
            return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
        }
    }

    /// Time in seconds of entry `index`.
    public func time(_ index: Int) -> Double { Double(index) * framePeriod }

    /// The largest value within `window` seconds of `time`, and where it is.
    public func strongest(near time: Double, window: Double) -> (time: Double, strength: Double)? {
        let lo = max(0, Int(((time - window) / framePeriod).rounded(.up)))
        let hi = min(values.count - 1, Int(((time + window) / framePeriod).rounded(.down)))
        guard lo <= hi else { return nil }
        var best = lo
        for i in lo...hi where values[i] > values[best] { best = i }
        return values[best] > 0 ? (self.time(best), values[best]) : nil
    }

    /// Local maxima at least `separation` seconds from any stronger one, strongest first.
    public func peaks(separation: Double) -> [(time: Double, strength: Double)] {
        let r = max(1, Int((separation / framePeriod).rounded()))
        var found: [(Double, Double)] = []
        for i in values.indices where values[i] > 0 {
            let lo = max(0, i - r), hi = min(values.count - 1, i + r)
            var isPeak = true
            for j in lo...hi where values[j] > values[i] || (values[j] == values[i] && j < i) {
                isPeak = false
                break
            }
            if isPeak { found.append((time(i), values[i])) }
        }
        return found.sorted { $0.1 > $1.1 }
    }
}

/// The frame features section changes are judged on: spectral shape (each
/// frame's band levels minus their mean, so beats and loudness swings do not
/// dominate), chroma, and the rhythm periodicity of `Tempogram`, frame after frame.
public struct SectionFeatures: Sendable {
    /// `frames` rows of `dimension` values.
    public let values: [Float]
    public let dimension: Int
    public let frames: Int
    /// Seconds per frame.
    public let framePeriod: Double

    public init(_ features: SpectralFeatures) {
        let d = SpectralFeatures.dimension, b = SpectralFeatures.bandCount, r = Tempogram.binCount
        let rhythm = Tempogram.bands(of: features)
        let hasRhythm = rhythm.count == features.frameCount * r
        let dimension = d + (hasRhythm ? r : 0)
        var combined = [Float](repeating: 0, count: features.frameCount * dimension)
        for t in 0..<features.frameCount {
            let frame = features.features[t * d ..< (t + 1) * d]
            let mean = frame.prefix(b).reduce(0, +) / Float(b)
            for (k, x) in frame.enumerated() { combined[t * dimension + k] = k < b ? x - mean : x }
            // Autocorrelations lie in [-1, 1]; scaled by 60 a change of groove
            // weighs about as much as one of timbre or harmony. On the evaluation
            // 90 separated no better and located fewer joins; 15 and 30 gained less.
            if hasRhythm { for k in 0..<r { combined[t * dimension + d + k] = 60 * rhythm[t * r + k] } }
        }
        values = combined
        self.dimension = dimension
        frames = features.frameCount
        framePeriod = features.framePeriod
    }
}
