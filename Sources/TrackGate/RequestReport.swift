import Foundation
import NuroRequest

/// What `trackgate validate` reports for one JSON file: a request (vocal, BGM
/// v1.0, BGM v2.0) or a saved task answer, with every issue and, for a valid
/// request, the structure it asks for.
public struct RequestReport: Sendable, Codable, Equatable {
    public let file: String
    /// `vocal`, `bgm_v1`, `bgm_v2`, `task`; nil when the kind could not be told.
    public let kind: String?
    public let valid: Bool
    public let issues: [ValidationIssue]
    public let expected: Expected?
    /// Set when the file could not be read or is not JSON.
    public let error: String?
    /// What kind of problem `error` is: `not_json`, `encoding`, `too_large`,
    /// `too_deep`, `number_range`, or a file problem (`missing`, `unreadable`).
    public let errorKind: String?

    /// The requested duration and section plan, in seconds.
    public struct Expected: Sendable, Codable, Equatable {
        public let durationS: Double
        public let boundariesS: [Double]
        public let sections: [ExpectedStructure.Section]
        enum CodingKeys: String, CodingKey {
            case durationS = "duration_s", boundariesS = "boundaries_s", sections
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
        if TaskAnswer.looksLikeTask(json) {
            let result = TaskAnswer.validate(json)
            return RequestReport(file: path, kind: "task", valid: result.isValid, issues: readingIssues + result.issues,
                                 expected: nil, error: nil, errorKind: nil)
        }
        let result = RequestValidator().validate(json)
        let expected = result.request.map { request in
            let s = request.expectedStructure
            return Expected(durationS: s.duration, boundariesS: s.boundaries, sections: s.sections)
        }
        return RequestReport(file: path, kind: result.request?.kind.rawValue ?? Self.kindHint(json),
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

    private static let kindNames = ["vocal": "vocal request", "bgm_v1": "BGM v1.0 request",
                                    "bgm_v2": "BGM v2.0 request", "task": "task answer"]

    /// The verdict line, then one indented line per issue (and its allowed values).
    public func renderText() -> String {
        let file = TerminalText.field(self.file)
        if let error { return "\(file): \(TerminalText.field(error))" }
        let what = kind.flatMap { Self.kindNames[$0] } ?? "request"
        var head = "\(file): \(valid ? "valid" : "INVALID") \(what)"
        if let expected {
            head += ", \(DurationText.seconds(expected.durationS))"
            if !expected.sections.isEmpty {
                head += ": " + expected.sections.map {
                    "\($0.name) \(DurationText.number($0.start))-\(DurationText.seconds($0.end))"
                }.joined(separator: ", ")
            }
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
