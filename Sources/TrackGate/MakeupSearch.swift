/// Finds the make-up gain that brings limited audio to the target loudness.
///
/// Limiting takes loudness away, and the loudness of limited audio grows more
/// slowly than the gain, so each step is a secant step: the slope of loudness
/// against make-up comes from the last two measurements (1 before there are
/// two, clamped to 0.05...1).
public struct MakeupSearch: Sendable {
    /// Close enough, LU: a fifth of the verification tolerance.
    public static let precision = 0.02

    public let targetLUFS: Double
    private var previous: (makeup: Double, missing: Double)?

    public init(targetLUFS: Double) { self.targetLUFS = targetLUFS }

    /// The make-up to try next, given what `makeup` measured; nil once within `precision`.
    public mutating func next(makeup: Double, measured: Double) -> Double? {
        let missing = targetLUFS - measured
        guard abs(missing) >= Self.precision else { return nil }
        var slope = 1.0
        if let p = previous, abs(makeup - p.makeup) > 1e-6 {
            slope = min(1, max(0.05, (p.missing - missing) / (makeup - p.makeup)))
        }
        previous = (makeup, missing)
        return makeup + missing / slope
    }
}
