import Foundation

/// The answer of "Get Music" (`GET /task/{task_id}`), which users save beside
/// the downloaded track. Its `duration` is what the service says it delivered.
public struct TaskAnswer: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, running, succeeded, failed
    }

    public var taskID: String
    public var status: Status
    /// 0 to 100.
    public var progress: Double?
    public var audioURL: String?
    public var lyrics: String?
    /// Seconds of audio the service reports (0 until it succeeds).
    public var duration: Double?
    public var genre: String?
    public var mood: String?
    public var gender: String?
    public var timbre: String?

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", status, progress, audioURL = "audio_url", lyrics, duration, genre, mood, gender, timbre
    }
}

/// The outcome of reading a task answer: the typed answer when it is usable, and every problem found.
public struct TaskValidation: Sendable, Equatable {
    public let answer: TaskAnswer?
    public let issues: [ValidationIssue]
    public let json: JSONValue
    public var isValid: Bool { answer != nil }
}

extension TaskAnswer {
    /// True when the JSON looks like a task answer rather than a request.
    public static func looksLikeTask(_ json: JSONValue) -> Bool {
        json["type"] == nil && json["task_id"] != nil
    }

    /// Reads and checks a task answer: `task_id` and `status` are required; a
    /// succeeded task must carry an `audio_url` and a positive `duration`.
    public static func validate(_ json: JSONValue) -> TaskValidation {
        var issues: [ValidationIssue] = []
        func error(_ path: String, _ message: String, allowed: [String]? = nil) {
            issues.append(ValidationIssue(.error, path: path, message, allowed: allowed))
        }
        guard case .object(let f) = json else {
            error("", "a task answer must be a JSON object, found \(json.typeName)")
            return TaskValidation(answer: nil, issues: issues, json: json)
        }
        func optionalString(_ key: String) -> String? {
            switch f[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?: error(key, "expected a string, found \(other.typeName)"); return nil
            }
        }
        func optionalNumber(_ key: String, _ range: ClosedRange<Double>) -> Double? {
            switch f[key] {
            case nil, .null?: return nil
            case .number(let n)? where range.contains(n): return n
            case .number(let n)?: error(key, "\(n) is out of range \(range.lowerBound) to \(range.upperBound)"); return nil
            case let other?: error(key, "expected a number, found \(other.typeName)"); return nil
            }
        }
        var taskID = ""
        switch f["task_id"] {
        case nil: error("task_id", "required field is missing")
        case .string(let s)? where s.isEmpty: error("task_id", "must not be empty")
        case .string(let s)?: taskID = s
        case let other?: error("task_id", "expected a string, found \(other.typeName)")
        }
        var status: Status?
        let statuses = Status.allCases.map(\.rawValue)
        switch f["status"] {
        case nil: error("status", "required field is missing", allowed: statuses)
        case .string(let s)?:
            status = Status(rawValue: s)
            if status == nil { error("status", "\"\(s)\" is not a task status", allowed: statuses) }
        case let other?: error("status", "expected a string, found \(other.typeName)", allowed: statuses)
        }
        let answer = TaskAnswer(
            taskID: taskID, status: status ?? .failed,
            progress: optionalNumber("progress", 0...100), audioURL: optionalString("audio_url"),
            lyrics: optionalString("lyrics"), duration: optionalNumber("duration", 0...86_400),
            genre: optionalString("genre"), mood: optionalString("mood"),
            gender: optionalString("gender"), timbre: optionalString("timbre"))
        if status == .succeeded {
            if answer.audioURL?.isEmpty ?? true { error("audio_url", "a succeeded task must carry the audio URL") }
            if (answer.duration ?? 0) <= 0 { error("duration", "a succeeded task must report a positive duration") }
        }
        let ok = !issues.contains { $0.severity == .error }
        return TaskValidation(answer: ok ? answer : nil, issues: issues, json: json)
    }

    public static func validate(data: Data) throws(JSONReadError) -> TaskValidation {
        validate(try JSONValue.parse(data))
    }
}
