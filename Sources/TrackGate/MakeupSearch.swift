/// Finds the make-up gain that brings limited audio to the target loudness.
///
/// Limiting takes loudness away, and the loudness of limited audio grows more
/// slowly than the gain, so each step is a secant step: the slope of loudness
/// against make-up comes from the last two measurements (before there are two,
/// from `initialSlope`, e.g. the `LimiterPreview`'s), clamped to 0.05...1.
public struct MakeupSearch: Sendable {
    /// Close enough, LU: a fifth of the verification tolerance.
    public static let precision = 0.02

    public let targetLUFS: Double
    /// Close enough for this search, LU: `precision` for measured files, finer
    /// for predictions, which cost next to nothing.
    public let tolerance: Double
    private let initialSlope: Double
    private var previous: (makeup: Double, missing: Double)?

    public init(targetLUFS: Double, initialSlope: Double = 1, tolerance: Double = MakeupSearch.precision) {
        self.targetLUFS = targetLUFS
        self.tolerance = tolerance
        self.initialSlope = min(1, max(0.05, initialSlope))
    }

    /// The make-up to try next, given what `makeup` measured; nil once within `tolerance`.
    public mutating func next(makeup: Double, measured: Double) -> Double? {
        let missing = targetLUFS - measured
        guard abs(missing) >= tolerance else { return nil }
        var slope = initialSlope
        if let p = previous, abs(makeup - p.makeup) > 1e-6 {
            slope = min(1, max(0.05, (p.missing - missing) / (makeup - p.makeup)))
        }
        previous = (makeup, missing)
        return makeup + missing / slope
    }
}
