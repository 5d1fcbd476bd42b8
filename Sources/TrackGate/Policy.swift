import AudioIO
import Foundation
import RequestModel

/// Thresholds and severities of the gate. Every default is documented here
/// with its reason; a JSON file given to `--policy` overrides any subset, with
/// the same keys (missing keys keep their defaults).
public struct Policy: Sendable, Equatable, Codable {
    /// Limits on one measured quantity: above `warn` the check warns, above
    /// `fail` it fails; nil disables that level.
    public struct Limit: Sendable, Equatable, Codable {
        public var warn: Double?
        public var fail: Double?
        public init(warn: Double?, fail: Double?) {
            self.warn = warn
            self.fail = fail
        }
    }

    /// Level below which a 10 ms frame counts as silence: -60 dBFS, below any
    /// deliberate quiet passage of produced music but above dither and codec noise.
    public var silenceThresholdDBFS: Double = -60

    /// Duration against the request, as a fraction of the requested length,
    /// never tighter than `durationMinimumS`. The reference's own example asks for
    /// 180 s and delivers 199.04 s (+10.6 %): generators round to musical
    /// phrases, so 10 % warns and 25 % fails.
    public var duration = Limit(warn: 0.10, fail: 0.25)
    public var durationMinimumS: Double = 1.0

    /// For services that take no duration (Sonic, Producer): the lengths a
    /// delivery may have, in seconds (`{"min": 60, "max": 240}`); a track
    /// outside fails. Nil (the default) sets no range: the length is then
    /// checked against the task answer and the model's documented longest track.
    public var durationRangeS: SecondsRange?

    /// A track this fraction longer than the longest its model is documented to
    /// make warns: the vendors give those lengths as approximations ("about 2
    /// minutes", "4 to 8 minutes"), so only a clear excess says something is wrong.
    public var longestDurationMargin: Double = 0.10

    /// A range of seconds; either end may be left open.
    public struct SecondsRange: Sendable, Equatable, Codable {
        public var min: Double?
        public var max: Double?
        public init(min: Double?, max: Double?) {
            self.min = min
            self.max = max
        }
    }

    /// The task answer's `duration` against the audio, seconds. They describe the
    /// same file, so a difference means a cut download or a different file.
    public var taskDuration = Limit(warn: 0.5, fail: 2.0)

    /// Silence before the music starts, seconds.
    public var leadingSilence = Limit(warn: 0.5, fail: 2.0)
    /// Silence after the music ends, seconds. A fade reaches -60 dBFS a little
    /// early, so this allows more than the leading limit.
    public var trailingSilence = Limit(warn: 2.0, fail: 5.0)
    /// Longest silent gap with music on both sides, seconds. Shorter gaps than
    /// `dropoutMinimumS` are rests, not dropouts.
    public var dropout = Limit(warn: 0.2, fail: 1.0)
    public var dropoutMinimumS: Double = 0.2

    /// Flat tops: runs of three or more identical samples within 1 dB of the
    /// level their channel reaches in at least 10 frames of 10 ms (or above it),
    /// at whatever level (`DefectScanner`). A handful can pass unheard; many are
    /// audible distortion.
    public var clipping = Limit(warn: 1, fail: 50)

    /// Samples beyond full scale in a float file or a lossy decode are intact
    /// (process turns them down) but clip in any fixed-point copy made as they
    /// are: a warning, never a failure.
    public var overFullScaleWarns = true

    /// A channel whose RMS over the whole track stays below this (dBFS) is silent:
    /// -70 dBFS is the absolute gate of BS.1770, below any music a channel carries.
    public var silentChannelDBFS: Double = -70
    /// A silent channel in a stereo file fails (a generator wrote one side only).
    public var silentChannelFails = true
    /// How much quieter (dB, whole-track RMS) a channel may be than the loudest
    /// before the check warns. Stereo mixes stay within a few dB over a track; a
    /// hard-panned section moves a whole track's balance by a few more.
    public var channelImbalance = Limit(warn: 15, fail: nil)

    /// How far (dB) the last 0.5 s of music must fall below the track's median
    /// level; less means the music stops mid-phrase. Stingers end hard on
    /// purpose, so by default this only warns.
    public var truncatedEndingDropDB: Double = 6
    public var truncatedEndingFails = false

    /// Largest |mean| of a channel, as a fraction of full scale: 0.01 (-40 dBFS)
    /// wastes headroom and clicks at edits.
    public var dcOffset = Limit(warn: 0.01, fail: 0.05)

    /// NaN or infinite samples in a float file: any is a broken file.
    public var nonFinite = Limit(warn: nil, fail: 0.5)

    /// Stereo files whose channels are identical carry mono at twice the size.
    public var monoAsStereoWarns = true
    /// Channel correlation below this means one channel is (nearly) the other
    /// inverted: a mono fold-down cancels the music.
    public var phaseInvertedCorrelation: Double = -0.9

    /// Maximum true peak, dBTP: above -1 dBTP (EBU R 128) lossy encoding and
    /// resampling can clip; above 0.5 dBTP the track is clipping already.
    public var truePeak = Limit(warn: -1.0, fail: 0.5)

    /// Integrated loudness (LUFS) *below* these is a near-silent or broken track;
    /// produced music sits between -25 and -5 LUFS.
    public var loudnessFloor = Limit(warn: -30, fail: -45)

    /// Section changes: how far from each requested boundary to look for the
    /// strongest change (seconds, for `detected_s`).
    public var boundarySearchS: Double = 3
    /// The plan is tested as a whole against the track's own changes
    /// (`PlanAlignment`, a permutation test whose false-confirmation rate is this
    /// level on any music); a plan, and a boundary, is confirmed at a p-value at
    /// or under it.
    public var planAlignmentP: Double = 0.05
    /// A plan that is not confirmed fails the track (otherwise it warns).
    public var planAlignmentFails = false
    /// How many of the strongest changes away from requested boundaries to report.
    public var unrequestedChanges = 3

    /// A request that breaks a rule of the reference (a theme from the genre list,
    /// lyrics under 300 characters) still made the track, and the track is judged
    /// against what the request asks; the `request` check warns about the rules.
    /// The reference's own examples break its rules, and the service accepted
    /// them, so by default this only warns.
    public var requestRulesFail = false

    public init() {}

    /// Reads a policy file; keys it does not set keep their defaults.
    public static func load(path: String) throws -> Policy {
        let data: [UInt8]
        do throws(AudioIOError) {
            data = try RegularFile.contents(of: path, limit: JSONInput.maximumBytes, expecting: "a JSON file")
        } catch {
            throw PolicyError(path: path, detail: error.detail)
        }
        // JSONParser, so a broken policy says where (line, column) and why.
        let given: JSONValue
        do throws(JSONReadError) {
            given = try JSONParser().parse(data).value
        } catch {
            throw PolicyError(path: path, detail: error.message)
        }
        // The defaults as JSON, overlaid with the file's keys, decoded once.
        guard case .object(var merged) = try JSONValue.parse(Array(JSONEncoder().encode(Policy()))),
              case .object(let givenKeys) = given else {
            throw PolicyError(path: path, detail: "a policy must be a JSON object")
        }
        // Keys of earlier versions: `boundary_fails` is now `plan_alignment_fails`;
        // `boundary_confirm_strength` has no meaning since the plan is tested
        // against each track's own changes, and is ignored.
        var changes = givenKeys
        if let fails = changes.removeValue(forKey: "boundary_fails"), changes["plan_alignment_fails"] == nil {
            changes["plan_alignment_fails"] = fails
        }
        changes.removeValue(forKey: "boundary_confirm_strength")
        // Every key the policy has, also those whose default (nil) the defaults' JSON leaves out.
        let unknown = Set(changes.keys).subtracting(merged.keys).subtracting(CodingKeys.allCases.map(\.rawValue))
        guard unknown.isEmpty else {
            throw PolicyError(path: path, detail: "unknown keys: \(unknown.sorted().joined(separator: ", "))")
        }
        for (key, value) in changes {
            if case .object(let limit) = value, case .object(var current)? = merged[key] {
                for (k, v) in limit { current[k] = v }
                merged[key] = .object(current)
            } else {
                merged[key] = value
            }
        }
        let policy: Policy
        do {
            policy = try JSONDecoder().decode(Policy.self, from: JSONEncoder().encode(JSONValue.object(merged)))
        } catch {
            throw PolicyError(path: path, detail: "a value has the wrong type (\(error))")
        }
        if policy.longestDurationMargin < 0 || !policy.longestDurationMargin.isFinite {
            throw PolicyError(path: path, detail: "longest_duration_margin must be 0 or more (a fraction: 0.10 is 10 %)")
        }
        if let range = policy.durationRangeS {
            let ends = [range.min, range.max].compactMap { $0 }
            if ends.contains(where: { !$0.isFinite || $0 < 0 }) || (range.min ?? 0) > (range.max ?? .infinity) {
                throw PolicyError(path: path, detail: "duration_range_s must be {\"min\": S, \"max\": S} with 0 <= min <= max seconds")
            }
        }
        return policy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case silenceThresholdDBFS = "silence_threshold_dbfs", duration, durationMinimumS = "duration_minimum_s"
        case durationRangeS = "duration_range_s", longestDurationMargin = "longest_duration_margin"
        case taskDuration = "task_duration_s", leadingSilence = "leading_silence_s", trailingSilence = "trailing_silence_s"
        case dropout = "dropout_s", dropoutMinimumS = "dropout_minimum_s", clipping = "clipping_runs"
        case truncatedEndingDropDB = "truncated_ending_drop_db", truncatedEndingFails = "truncated_ending_fails"
        case dcOffset = "dc_offset", nonFinite = "non_finite_samples", monoAsStereoWarns = "mono_as_stereo_warns"
        case phaseInvertedCorrelation = "phase_inverted_correlation", truePeak = "true_peak_dbtp"
        case loudnessFloor = "loudness_floor_lufs", boundarySearchS = "boundary_search_s"
        case planAlignmentP = "plan_alignment_p", planAlignmentFails = "plan_alignment_fails"
        case unrequestedChanges = "unrequested_changes", overFullScaleWarns = "over_full_scale_warns"
        case silentChannelDBFS = "silent_channel_dbfs", silentChannelFails = "silent_channel_fails"
        case channelImbalance = "channel_imbalance_db", requestRulesFail = "request_rules_fail"
    }
}

/// A policy file that cannot be used.
public struct PolicyError: Error, CustomStringConvertible {
    public let path: String
    public let detail: String
    public var description: String { "\(path): \(detail)" }
}
