import Foundation
import RequestModel

/// What `trackgate validate` reports for one JSON file: a request (vocal, BGM
/// v1.0, BGM v2.0) or a saved task answer, with every issue and, for a valid
/// request, the structure it asks for.
public struct RequestReport: Sendable, Codable, Equatable {
    public let file: String
    /// `vocal`, `bgm_v1`, `bgm_v2`, `sonic`, `producer`, or for an answer `task`
    /// (Nuro), `sonic_task`, `producer_task`; nil when the kind could not be told.
    public let kind: String?
    public let valid: Bool
    public let issues: [ValidationIssue]
    public let expected: Expected?
    /// Set when the file could not be read or is not JSON.
    public let error: String?
    /// What kind of problem `error` is: `not_json`, `encoding`, `too_large`,
    /// `too_deep`, `number_range`, or a file problem (`missing`, `unreadable`).
    public let errorKind: String?

    /// The requested duration and section plan, in seconds; for services that
    /// take no duration, the model's documented longest track and the lyrics' sections.
    public struct Expected: Sendable, Codable, Equatable {
        public let durationS: Double?
        public let boundariesS: [Double]
        public let sections: [ExpectedStructure.Section]
        public var longestDurationS: Double?
        public var lyricSections: [String]?
        public var instrumental: String?
        enum CodingKeys: String, CodingKey {
            case durationS = "duration_s", boundariesS = "boundaries_s", sections
            case longestDurationS = "longest_duration_s", lyricSections = "lyric_sections", instrumental
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            if let durationS { try c.encode(durationS, forKey: .durationS) } else { try c.encodeNil(forKey: .durationS) }
            try c.encode(boundariesS, forKey: .boundariesS)
            try c.encode(sections, forKey: .sections)
            if let longestDurationS { try c.encode(longestDurationS, forKey: .longestDurationS) }
            if let lyricSections { try c.encode(lyricSections, forKey: .lyricSections) }
            if let instrumental { try c.encode(instrumental, forKey: .instrumental) }
        }
    }

    enum CodingKeys: String, CodingKey {
        case file, kind, valid, issues, expected, error, errorKind = "error_kind"
    }

    public static func validate(path: String) -> RequestReport {
        let document: JSONDocument
        switch JSONInput.read(path) {
        case .success(let read): document = read
        case .failure(let failure):
            return RequestReport(file: path, kind: nil, valid: false, issues: [], expected: nil, error: failure.reason,
                                 errorKind: failure.kind.name)
        }
        let json = document.value
        // What reading noticed (a key given twice, UTF-16 text) comes first, as warnings.
        let readingIssues = document.warnings.map { ValidationIssue(.warning, path: $0.path, $0.message) }
        if ServiceAnswer.looksLikeAnswer(json) {
            let result = ServiceAnswer.validate(json)
            let kind = result.service == .nuro ? "task" : "\(result.service.rawValue.lowercased())_task"
            return RequestReport(file: path, kind: kind, valid: result.answer != nil, issues: readingIssues + result.issues,
                                 expected: nil, error: nil, errorKind: nil)
        }
        let result = RequestValidator().validate(json)
        let expected = result.request.map { request in
            let s = request.expectedStructure
            return Expected(durationS: s.duration, boundariesS: s.boundaries, sections: s.sections,
                            longestDurationS: s.longestDuration, lyricSections: s.lyricSections.isEmpty ? nil : s.lyricSections,
                            instrumental: s.instrumental)
        }
        // Sonic and Producer requests are always read as their kind, broken rules or not.
        let successor = result.readable.flatMap { [.sonic, .producer].contains($0.kind) ? $0.kind.rawValue : nil }
        return RequestReport(file: path, kind: result.request?.kind.rawValue ?? Self.kindHint(json) ?? successor,
                             valid: result.isValid, issues: readingIssues + result.issues, expected: expected, error: nil,
                             errorKind: nil)
    }

    /// The kind an invalid request was meant to be, when its `type` and `version` say.
    private static func kindHint(_ json: JSONValue) -> String? {
        switch (json["type"], json["version"]) {
        case (.string("vocal")?, _): "vocal"
        case (.string("bgm")?, nil), (.string("bgm")?, .string("v1.0")?): "bgm_v1"
        case (.string("bgm")?, .string("v2.0")?): "bgm_v2"
        default: nil
        }
    }

    public var exitStatus: ExitStatus { error != nil ? .unreadable : valid ? .success : .failed }

    private static let answerNames = ["task": "task answer", "sonic_task": "Sonic task answer",
                                      "producer_task": "Producer task answer"]

    /// The verdict line, then one indented line per issue (and its allowed values).
    public func renderText() -> String {
        let file = TerminalText.field(self.file)
        if let error { return "\(file): \(TerminalText.field(error))" }
        let what = kind.flatMap { TrackRequest.Kind(rawValue: $0)?.phrase ?? Self.answerNames[$0] } ?? "request"
        var head = "\(file): \(valid ? "valid" : "INVALID") \(what)"
        if let expected, let duration = expected.durationS {
            head += ", \(DurationText.seconds(duration))"
            if !expected.sections.isEmpty {
                head += ": " + expected.sections.map {
                    "\($0.name) \(DurationText.number($0.start))-\(DurationText.seconds($0.end))"
                }.joined(separator: ", ")
            }
        } else if let expected {
            head += ", no duration"
            if let longest = expected.longestDurationS { head += " (the model makes up to about \(DurationText.seconds(longest)))" }
            if let lyrics = expected.lyricSections { head += ", sections " + lyrics.map { TerminalText.field($0) }.joined(separator: ", ") }
            if let instrumental = expected.instrumental { head += ", instrumental (\(TerminalText.field(instrumental)))" }
        }
        let errors = issues.filter { $0.severity == .error }.count
        if errors > 0 { head += " (\(errors) error\(errors == 1 ? "" : "s"))" }
        var lines = [head]
        for issue in issues {
            lines.append("  \(issue.severity == .error ? "error  " : "warning") "
                + "\(issue.path.isEmpty ? "(request)" : TerminalText.field(issue.path)): \(TerminalText.field(issue.message))")
            if let allowed = issue.allowed, !issue.message.contains("did you mean") {
                lines.append("          allowed: " + allowed.map { "\"\(TerminalText.field($0))\"" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
