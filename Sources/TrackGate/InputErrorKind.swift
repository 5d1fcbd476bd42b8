import AudioIO
import RequestModel

/// What kind of problem stopped a track or a file before it could be judged:
/// the `error_kind` of `--json` outputs, beside the message.
///
/// Scripts branch on these names; the message is for people.
public enum InputErrorKind: Sendable, Equatable {
    /// The file itself: `missing`, `unreadable`, `empty`, `too_large`, and for
    /// audio `not_audio`, `truncated`, `corrupt`, `unsupported`, ...
    case file(AudioIOError.Kind)
    /// A request, task answer or manifest line that is not JSON: `not_json`,
    /// `encoding`, `too_large`, `too_deep`, `number_range`.
    case json(JSONReadError.Kind)
    /// JSON from which no expectation can be read (`invalid_request`), or a task
    /// answer that is not one (`invalid_task`).
    case invalidRequest
    case invalidTask
    /// A manifest line that is JSON but does not name a track as a line must
    /// (`audio` missing, an unknown key, an unsafe id).
    case manifestLine
    /// A track id that cannot name output files, or one already taken (`invalid_id`).
    case invalidID
    /// `report`: a listed track with no report in any output folder: its shard
    /// has not run, has not finished, or its outputs were lost (`no_report`).
    case noReport
    /// `report`: a track reported differently in two output folders, from other
    /// inputs or settings, so neither can stand for the batch (`conflicting_reports`).
    case conflictingReports
    /// `report`: a track's report file that cannot be read as one: cut short,
    /// edited into something else, or saved in another encoding (`broken_report`).
    case brokenReport

    /// The name `error_kind` carries.
    public var name: String {
        switch self {
        case .file(let kind): kind.rawValue
        case .json(let kind): kind.rawValue
        case .invalidRequest: "invalid_request"
        case .invalidTask: "invalid_task"
        case .manifestLine: "manifest_line"
        case .invalidID: "invalid_id"
        case .noReport: "no_report"
        case .conflictingReports: "conflicting_reports"
        case .brokenReport: "broken_report"
        }
    }

    /// Whether an `error` verdict of this kind (by its `error_kind` name, as a
    /// report file carries it) means an input could not be read (exit code 2)
    /// rather than read and found wanting (1): only a request or task answer that
    /// is JSON but says nothing usable is the latter (`Gate.evaluate`).
    public static func isUnreadable(name: String?) -> Bool {
        name != InputErrorKind.invalidRequest.name && name != InputErrorKind.invalidTask.name
    }
}
