import AudioDSP
import AudioIO
import Foundation
import RequestModel

/// The gate's verdict on one track, with the keys of the command-line contract.
public struct TrackReport: Sendable, Encodable {
    public enum Verdict: String, Sendable, Codable, Comparable {
        case pass, warn, fail, error
        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
        private var rank: Int { switch self { case .pass: 0; case .warn: 1; case .fail: 2; case .error: 3 } }
    }

    public enum Status: String, Sendable, Codable, Comparable {
        case pass, warn, fail
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
        private var rank: Int { switch self { case .pass: 0; case .warn: 1; case .fail: 2 } }
    }

    /// One check: an id from the contract (`duration`, `clipping`, ...), its
    /// status and a sentence for people.
    public struct Check: Sendable, Codable, Equatable {
        public let id: CheckID
        public let status: Status
        public let message: String

        public init(id: CheckID, status: Status, message: String) {
            self.id = id
            self.status = status
            self.message = message
        }
    }

    /// One requested section boundary and what was found near it.
    public struct Boundary: Sendable, Codable, Equatable {
        public let expectedS: Double
        /// Where the strongest change within the search window (±3 s) is, or nil
        /// when there is none: the music's own placement of the change.
        public let detectedS: Double?
        /// The section contrast at the requested time (the 6 s curve the plan is
        /// tested on, `PlanAlignment`), in the curve's own units: how large it
        /// must be depends on the track, see `pValue`.
        public let strength: Double
        /// The share of the track's moments away from every requested boundary
        /// whose contrast is at least as large: `strength` as a percentile of
        /// this track's changes. Nil when the boundary lies outside the analysed audio.
        public let pValue: Double?
        /// `confirmed` (`pValue` at or under the policy's `plan_alignment_p`),
        /// `weak` (a change, but not one that stands out on this track) or
        /// `missing` (no change within the search window, or outside the audio).
        /// Descriptive: with several boundaries some stand out by chance; the
        /// plan as a whole (`PlanReport`) is the decision.
        public let status: Status

        /// What was found at a requested boundary.
        public enum Status: String, Sendable, Codable {
            case confirmed, weak, missing
        }

        public init(expectedS: Double, detectedS: Double?, strength: Double, pValue: Double?, status: Status) {
            self.expectedS = expectedS
            self.detectedS = detectedS
            self.strength = strength
            self.pValue = pValue
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case expectedS = "expected_s", detectedS = "detected_s", strength, pValue = "p_value", status
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(expectedS, forKey: .expectedS)
            try c.encode(detectedS.map(ReportNumber.thousandths), forKey: .detectedS)
            try c.encode(ReportNumber.thousandths(strength), forKey: .strength)
            try c.encode(pValue.map(ReportNumber.tenThousandths), forKey: .pValue)
            try c.encode(status, forKey: .status)
        }
    }

    /// Whether the track follows its section plan as a whole (`PlanAlignment`).
    public struct PlanReport: Sendable, Encodable, Equatable {
        /// `confirmed`, `not_confirmed` or `not_applicable`.
        public let status: PlanAlignment.Status
        /// The plan's p-value (nil when not applicable).
        public let pValue: Double?
        public let boundariesMatched: Int
        public let boundaries: Int
        /// Why the test does not apply.
        public let reason: String?
        /// The strength a change needs to stand out on this track (for pictures; not in JSON).
        public let confirmingStrength: Double?

        public init(_ alignment: PlanAlignment) {
            confirmingStrength = alignment.confirmingStrength
            status = alignment.status
            pValue = alignment.pValue
            boundariesMatched = alignment.boundariesMatched
            boundaries = alignment.boundaries
            reason = alignment.reason
        }

        enum CodingKeys: String, CodingKey {
            case status, pValue = "p_value", boundariesMatched = "boundaries_matched", boundaries, reason
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            if let pValue { try c.encode(ReportNumber.tenThousandths(pValue), forKey: .pValue) } else { try c.encodeNil(forKey: .pValue) }
            try c.encode(boundariesMatched, forKey: .boundariesMatched)
            try c.encode(boundaries, forKey: .boundaries)
            if let reason { try c.encode(reason, forKey: .reason) }
        }
    }

    /// A strong change of section away from every requested boundary.
    public struct Change: Sendable, Codable, Equatable {
        public let timeS: Double
        public let strength: Double
        enum CodingKeys: String, CodingKey { case timeS = "time_s", strength }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ReportNumber.thousandths(timeS), forKey: .timeS)
            try c.encode(ReportNumber.thousandths(strength), forKey: .strength)
        }
    }

    public var id: String
    public var file: String
    public var verdict: Verdict
    public var durationS: Double?
    public var requestedDurationS: Double?
    /// The service whose request made the track: `Nuro`, `Sonic` or `Producer`.
    public var service: String?
    /// The clip of a Sonic or Producer task answer the track was judged as.
    public var clipID: String?
    /// The section order the request's lyrics ask for (`[Verse]`, `[Chorus]`),
    /// untimed; nil when the lyrics tag none.
    public var lyricSections: [String]?
    /// Why the track should have no vocals, when the request says so
    /// (`make_instrumental`, or "instrumental" in the style text).
    public var instrumental: String?
    public var loudness: LoudnessReport?
    public var checks: [Check]
    public var boundaries: [Boundary]
    /// Whether the track follows its section plan; nil when the track was not analysed.
    public var planAlignment: PlanReport?
    public var unrequestedChanges: [Change]
    /// Written audio and its own measurements (`process`); nil for `check`.
    public var output: OutputReport?
    /// Why the verdict is `error`.
    public var error: String?
    /// What kind of problem `error` is (`error_kind`: `not_json`, `missing`, `not_audio`, ...).
    public var errorKind: InputErrorKind?
    /// True when an input could not be read or an output could not be written
    /// (exit code 2 rather than 1).
    public var unreadable: Bool
    /// The request and task answer as given, carried in `process` reports so a
    /// delivery file's sidecar says everything about how it was made.
    public var request: JSONValue?
    public var task: JSONValue?
    /// What the outputs were made from (batch runs), so a rerun can tell
    /// whether they are current.
    public var fingerprint: Fingerprint?
    /// The track's picture (`ID.svg`), when one was drawn.
    public var plot: String?
    /// Why the picture could not be written (the verdict does not depend on it).
    public var plotError: String?

    enum CodingKeys: String, CodingKey {
        case id, file, verdict, durationS = "duration_s", requestedDurationS = "requested_duration_s", loudness, checks
        case boundaries, planAlignment = "plan_alignment", unrequestedChanges = "unrequested_changes", output, error, request, task
        case errorKind = "error_kind", fingerprint, plot, plotError = "plot_error"
        case service, lyricSections = "lyric_sections", instrumental, clipID = "clip_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(file, forKey: .file)
        try c.encode(verdict, forKey: .verdict)
        func number(_ v: Double?, _ key: CodingKeys) throws {
            if let v { try c.encode(ReportNumber.thousandths(v), forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try number(durationS, .durationS)
        try number(requestedDurationS, .requestedDurationS)
        if let service { try c.encode(service, forKey: .service) }
        if let clipID { try c.encode(clipID, forKey: .clipID) }
        if let lyricSections { try c.encode(lyricSections, forKey: .lyricSections) }
        if let instrumental { try c.encode(instrumental, forKey: .instrumental) }
        if let loudness { try c.encode(loudness, forKey: .loudness) } else { try c.encodeNil(forKey: .loudness) }
        try c.encode(checks, forKey: .checks)
        try c.encode(boundaries, forKey: .boundaries)
        if let planAlignment { try c.encode(planAlignment, forKey: .planAlignment) }
        try c.encode(unrequestedChanges, forKey: .unrequestedChanges)
        if let output { try c.encode(output, forKey: .output) } else { try c.encodeNil(forKey: .output) }
        if let error { try c.encode(error, forKey: .error) }
        if let errorKind { try c.encode(errorKind.name, forKey: .errorKind) }
        if let request { try c.encode(request, forKey: .request) }
        if let task { try c.encode(task, forKey: .task) }
        if let fingerprint { try c.encode(fingerprint, forKey: .fingerprint) }
        if let plot { try c.encode(plot, forKey: .plot) }
        if let plotError { try c.encode(plotError, forKey: .plotError) }
    }

    /// A report with verdict `error` and nothing measured: the track could not
    /// be checked (`error` says why) or has not been yet (`error` nil).
    public init(id: String, file: String, error: String?, errorKind: InputErrorKind? = nil, unreadable: Bool) {
        self.id = id
        self.file = file
        self.verdict = .error
        self.checks = []
        self.boundaries = []
        self.unrequestedChanges = []
        self.error = error
        self.errorKind = errorKind
        self.unreadable = unreadable
    }

    /// Writes the report as pretty JSON (the sidecar `OUT/ID.json`), complete
    /// under its name or not at all. When it cannot be written the report itself
    /// turns to `error` and says why: a track with no report file did not pass.
    ///
    /// - Returns: whether the report was written.
    @discardableResult
    public mutating func save(to path: String, replaceExisting: Bool) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do throws(AudioIOError) {
            guard let data = try? encoder.encode(self) else {
                throw AudioIOError(.writeFailed, path: path, detail: "cannot encode the report")
            }
            try AtomicFile.write(Array(data) + [0x0A], to: path, replaceExisting: replaceExisting)
            return true
        } catch {
            verdict = .error
            self.error = [self.error, error.description].compactMap { $0 }.joined(separator: "; ")
            errorKind = errorKind ?? .file(error.kind)
            unreadable = true
            return false
        }
    }

    /// The exit status this track calls for (see `ExitStatus`).
    public var exitStatus: ExitStatus { ExitStatus(verdict: verdict, unreadable: unreadable) }
}
