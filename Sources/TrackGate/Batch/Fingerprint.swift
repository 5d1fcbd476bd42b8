import AudioIO
import Foundation
import RequestModel

/// What a track's outputs were made from: the input's content, the request,
/// the task answer and every setting that shapes the result. A batch rerun
/// skips a track whose sidecar carries the fingerprint it would make now.
///
/// Content, not names or timestamps: a re-download of the same bytes is the
/// same input, a changed file under the same name is not.
public struct Fingerprint: Sendable, Codable, Equatable {
    /// SHA-256 of the audio file's bytes.
    public var audio: String
    /// SHA-256 of the request JSON, canonical (keys sorted, no spaces), so a
    /// request in a file and the same object inline in a manifest agree.
    public var request: String
    /// Likewise for the task answer; nil when none was given.
    public var task: String?
    /// SHA-256 of `RunSettings` (mode, finishing settings, policy, software version).
    public var settings: String

    public init(audio: String, request: String, task: String?, settings: String) {
        self.audio = audio
        self.request = request
        self.task = task
        self.settings = settings
    }

    /// The fingerprint of one track's inputs, or nil when an input cannot be
    /// read (such a track runs, and its report says why it failed).
    ///
    /// - Parameter source: the audio as opened for the job; its bytes are hashed,
    ///   not whatever the path leads to (read by path when nil).
    /// - Parameter clip: the clip of a Sonic or Producer answer the track was
    ///   paired with (a manifest's `clip`): judged against another clip, the
    ///   same files make another report, so it joins the task's digest.
    public static func make(audioPath: String, request: JSONSource, task: JSONSource?, clip: String? = nil,
                            settingsDigest: String, source: AudioSource? = nil) -> Fingerprint? {
        let digest: String? = source.map { try? ContentDigest.sha256(source: $0) } ?? (try? ContentDigest.sha256(file: audioPath))
        guard let audio = digest,
              case .success(let requestDocument) = request.read() else { return nil }
        var taskDigest: String?
        if let task {
            guard case .success(let taskDocument) = task.read() else { return nil }
            taskDigest = canonicalDigest(taskDocument.value)
            if let clip, let digest = taskDigest { taskDigest = ContentDigest.sha256(digest + "\u{0}clip " + clip) }
        }
        return Fingerprint(audio: audio, request: canonicalDigest(requestDocument.value), task: taskDigest, settings: settingsDigest)
    }

    /// Why `self` (made now) differs from `stored` (an earlier run's), for people.
    public func changes(since stored: Fingerprint) -> [String] {
        var changes: [String] = []
        if audio != stored.audio { changes.append("the audio changed") }
        if request != stored.request { changes.append("the request changed") }
        if task != stored.task { changes.append("the task answer changed") }
        if settings != stored.settings { changes.append("the settings changed") }
        return changes
    }

    static func canonicalDigest(_ json: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? encoder.encode(json)).map { String(decoding: $0, as: UTF8.self) } ?? "\(json)"
        return ContentDigest.sha256(text)
    }
}

/// Everything besides the inputs that decides a batch track's outputs.
public struct RunSettings: Sendable, Encodable {
    /// `check` (reports only) or `process` (audio too).
    public var mode: String
    public var finish: FinishSettings?
    /// The loudness target drawn in a check's pictures (nil without pictures, or
    /// when processing, whose `finish` holds it).
    public var pictureTargetLUFS: Double?
    public var policy: Policy
    public var strict: Bool
    public var force: Bool
    /// A new version may measure or write differently: its outputs are not current.
    public var software = TrackGateVersion.software

    public init(checkOnly: Bool, finish: FinishSettings, policy: Policy, strict: Bool, force: Bool, plots: Bool = false) {
        self.mode = checkOnly ? "check" : "process"
        self.finish = checkOnly ? nil : finish
        self.pictureTargetLUFS = checkOnly && plots ? finish.targetLUFS : nil
        self.policy = policy
        self.strict = strict
        self.force = checkOnly ? false : force
    }

    public var digest: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Every member is plain data; encoding cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return ContentDigest.sha256(String(decoding: data, as: UTF8.self))
    }
}

extension FinishSettings: Encodable {
    enum CodingKeys: String, CodingKey {
        case targetLUFS = "target_lufs", ceilingDBTP = "ceiling_dbtp", peakHandling = "peak_handling"
        case sampleRate = "sample_rate", container, sampleFormat = "sample_format", resampler
        case resampleQuality = "resample_quality", dither, loudnessTolerance = "loudness_tolerance"
        case bitrateKbps = "bitrate_kbps", gainTags = "gain_tags", tagsOnly = "tags_only", skipIfWithinLU = "skip_if_within_lu"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(targetLUFS, forKey: .targetLUFS)
        try c.encode(ceilingDBTP, forKey: .ceilingDBTP)
        try c.encode(peakHandling, forKey: .peakHandling)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(format.container, forKey: .container)
        try c.encode(format.sampleFormat, forKey: .sampleFormat)
        try c.encode(resampler, forKey: .resampler)
        try c.encode(resampleQuality, forKey: .resampleQuality)
        try c.encode(dither, forKey: .dither)
        try c.encode(loudnessTolerance, forKey: .loudnessTolerance)
        // Only when they apply, so earlier runs' WAV deliveries (no bit rate, no gain tags) stay current.
        if let kbps = format.bitrateKbps { try c.encode(kbps, forKey: .bitrateKbps) }
        if gainTagStyle != .none { try c.encode(gainTagStyle, forKey: .gainTags) }
        if tagsOnly { try c.encode(tagsOnly, forKey: .tagsOnly) }
        if let skipIfWithinLU { try c.encode(skipIfWithinLU, forKey: .skipIfWithinLU) }
    }
}
