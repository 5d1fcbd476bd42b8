/// The id of one check of the gate, as the command-line contract names it
/// (`checks[].id` in reports, JUnit test names, the page's failing checks).
///
/// A struct over its string, as swift-system's `Errno` is over its code: the
/// gate names its checks by these constants only, and a report written by a
/// later TrackGate with checks this one does not know still reads.
public struct CheckID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (a: CheckID, b: CheckID) -> Bool { a.rawValue < b.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    // The request and the task answer.
    public static let request = CheckID(rawValue: "request")
    public static let duration = CheckID(rawValue: "duration")
    public static let taskDuration = CheckID(rawValue: "task_duration")
    /// Whether the task answer says the track is a finished delivery (not a
    /// preview while the task runs, not a failed task's).
    public static let taskState = CheckID(rawValue: "task_state")
    public static let boundaries = CheckID(rawValue: "boundaries")
    // Loudness and peaks of the source.
    public static let loudness = CheckID(rawValue: "loudness")
    public static let truePeak = CheckID(rawValue: "true_peak")
    public static let clipping = CheckID(rawValue: "clipping")
    public static let overFullScale = CheckID(rawValue: "over_full_scale")
    // Defects.
    public static let nonFinite = CheckID(rawValue: "non_finite")
    public static let dcOffset = CheckID(rawValue: "dc_offset")
    public static let dropout = CheckID(rawValue: "dropout")
    public static let leadingSilence = CheckID(rawValue: "leading_silence")
    public static let trailingSilence = CheckID(rawValue: "trailing_silence")
    public static let truncatedEnding = CheckID(rawValue: "truncated_ending")
    public static let silentChannel = CheckID(rawValue: "silent_channel")
    public static let monoAsStereo = CheckID(rawValue: "mono_as_stereo")
    public static let phaseInverted = CheckID(rawValue: "phase_inverted")
    // The written delivery.
    public static let outputLoudness = CheckID(rawValue: "output_loudness")
    public static let outputTruePeak = CheckID(rawValue: "output_true_peak")
}
