import AudioCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How TrackGate's true-peak limiter behaves, defined once for the limiter
/// (`TruePeakLimiter`) and the prediction of its work (`LimiterPreview`).
public struct LimiterParameters: Sendable, Equatable {
    /// Look-ahead and length of the gain ramp: 5 ms reaches the gain a peak
    /// needs without the click of a hard step; shorter ramps distort the bass,
    /// longer ones audibly duck the beat before a peak.
    public static let defaultAttack = 0.005
    /// Time constant of the recovery: 150 ms recovers within a beat without
    /// following the waveform of low notes, which distorts.
    public static let defaultRelease = 0.15
    /// dB below the ceiling that detection aims for: where the gain moves within
    /// the interpolation filter's span, inter-sample points of the output can
    /// rise slightly above gain times input (measured: 0.08 dB on a 24 kHz sine
    /// at 96 kHz, where the estimate has only 2x points); the margin absorbs it.
    public static let defaultMargin = 0.1

    /// The highest true peak the output may reach, dBTP.
    public let ceilingDBTP: Double
    /// Seconds.
    public let attack: Double
    /// Seconds.
    public let release: Double
    /// dB, at least 0.
    public let margin: Double

    public init(ceilingDBTP: Double, attack: Double = defaultAttack, release: Double = defaultRelease,
                margin: Double = defaultMargin) {
        precondition(attack > 0 && release > 0)
        self.ceilingDBTP = ceilingDBTP
        self.attack = attack
        self.release = release
        self.margin = max(0, margin)
    }

    /// The ceiling, linear (1 = 0 dBTP).
    public var ceiling: Float { Decibels.gain(ceilingDBTP) }
    /// The level detection holds peaks to: the ceiling less the margin, linear.
    public var target: Float { Decibels.gain(ceilingDBTP - margin) }

    /// The attack in frames (at least 1).
    public func attackFrames(sampleRate: Int) -> Int { max(1, Int((attack * Double(sampleRate)).rounded())) }

    /// Frames a needed gain is held: the attack plus the interpolation filter's
    /// whole span (`reach` each side), so every sample that contributes to an
    /// interpolated peak is turned down with it.
    func holdFrames(sampleRate: Int, reach: Int) -> Int { attackFrames(sampleRate: sampleRate) + 2 * reach }

    /// The release's one-pole coefficient per frame.
    func releaseCoefficient(sampleRate: Int) -> Double { exp(-1 / (release * Double(sampleRate))) }
}
