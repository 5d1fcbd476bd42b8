import Foundation

/// The task answer of Sonic ("Get Sonic music", `GET /api/v1/sonic/task/{id}`)
/// or Producer ("Producer task", `GET /api/v1/producer/task/{id}`), which users
/// save beside the clips they download. One task makes several clips (Sonic
/// usually two, Producer one); each clip is a track, named by its `clip_id`.
public struct ClipAnswer: Sendable, Equatable {
    public struct Clip: Sendable, Equatable {
        public var clipID: String
        public var title: String?
        /// Sonic's per-clip state: `pending`, `running`, `succeeded` (also
        /// `streaming` and `failed` in its webhook guide); nil for Producer.
        public var state: String?
        public var audioURL: String?
        /// Seconds of audio the service reports; nil when absent or null
        /// (Producer may leave it out). Read from a number or a numeric string.
        public var duration: Double?
        /// True when `duration` was written as a string ("104.88").
        public var durationWasText: Bool
        /// `mv`, the model that made the clip.
        public var model: String?
        public var lyrics: String?
        /// Sonic's `tags`, Producer's `sound`.
        public var style: String?

        /// The file name the clip's `audio_url` ends in, without query or extension.
        public var downloadStem: String? { audioURL.flatMap(ClipName.stem(ofURL:)) }
    }

    /// How a downloaded file is told to be a clip: by its `clip_id`, or by the
    /// name its `audio_url` ends in.
    public struct ClipName: Sendable, Equatable {
        public var id: String
        public var stem: String?
        /// The answer says the clip was made and can be downloaded: it has an
        /// `audio_url`, its state (Sonic) is `succeeded` and its task's status
        /// (Producer) `SUCCESS`, where they are given.
        public var delivered: Bool = true

        /// The last path component of a URL, without query or extension.
        static func stem(ofURL url: String) -> String? {
            guard let last = url.split(separator: "?").first?.split(separator: "/").last else { return nil }
            return (String(last) as NSString).deletingPathExtension
        }

        /// The clip a file stem is among `names`: the one whose id or download
        /// name it is, else the only one whose id it contains; nil when none or
        /// several are (a stem holding two ids is no one clip).
        public static func match(_ stem: String, among names: [ClipName]) -> ClipName? {
            if let exact = names.first(where: { $0.id == stem || $0.stem == stem }) { return exact }
            let named = names.filter { !$0.id.isEmpty && stem.contains($0.id) }
            return named.count == 1 ? named[0] : nil
        }
    }

    /// The clips an answer lists, read leniently: an answer that breaks a rule
    /// still names its clips, so a folder's files can be paired with it (the
    /// gate then reports the broken rule).
    public static func clipNames(in json: JSONValue) -> [ClipName] {
        guard case .array(let items)? = json["data"] else { return [] }
        let taskDone = json["status"].map { AnswerEntry.Progress(state: $0.stringValue) == .finished } ?? true
        return items.compactMap { item in
            guard let id = item["clip_id"]?.stringValue, !id.isEmpty else { return nil }
            let url = item["audio_url"]?.stringValue ?? ""
            let state = item["state"]?.stringValue
            let done = taskDone && !url.isEmpty && (state == nil || AnswerEntry.Progress(state: state) == .finished)
            return ClipName(id: id, stem: url.isEmpty ? nil : ClipName.stem(ofURL: url), delivered: done)
        }
    }

    /// `.sonic` or `.producer`.
    public var service: GenerationService
    /// The answer's `code` (200 when the call succeeded).
    public var code: Int?
    /// Producer's task status: `PENDING`, `RUNNING`, `SUCCESS`, `FAILED`; nil for Sonic.
    public var status: String?
    public var clips: [Clip]

    /// The clip a downloaded file is: the one whose `clip_id` or download name
    /// is the file's name (or contained in it), or the only clip.
    public func clip(forFileStem stem: String) -> Clip? {
        let names = clips.map { ClipName(id: $0.clipID, stem: $0.downloadStem) }
        if let name = ClipName.match(stem, among: names) { return clips.first { $0.clipID == name.id } }
        return clips.count == 1 ? clips[0] : nil
    }
}

/// The outcome of reading a Sonic or Producer task answer.
public struct ClipAnswerValidation: Sendable, Equatable {
    public let answer: ClipAnswer?
    public let issues: [ValidationIssue]
    public var isValid: Bool { answer != nil }
}

extension ClipAnswer {
    /// Sonic's clip states (get-sonic-music lists the first three; its webhook guide adds the last two).
    public static let sonicStates = ["pending", "running", "succeeded", "streaming", "failed"]
    /// Producer's task statuses.
    public static let producerStatuses = ["PENDING", "RUNNING", "SUCCESS", "FAILED"]

    /// True when the JSON looks like a Sonic or Producer task answer: a `data`
    /// list of clips (Nuro's answer is one flat object with `task_id`).
    public static func looksLikeAnswer(_ json: JSONValue) -> Bool {
        guard json["type"] == nil, json["task_id"] == nil else { return false }
        if case .array? = json["data"] { return true }
        // A service's error answer: a code and no clips (`{"code": 400, "data": null, "message": ...}`).
        return json["code"] != nil && (json["data"] != nil || json["message"] != nil)
    }

    /// Reads and checks an answer: `data` must be a list of clips, each with a
    /// `clip_id`; a finished clip must carry its `audio_url`; `duration` may be a
    /// number or a numeric string, and may be missing or null (a warning on a
    /// finished clip: the delivered length cannot then be checked against it).
    public static func validate(_ json: JSONValue) -> ClipAnswerValidation {
        var issues: [ValidationIssue] = []
        func error(_ path: String, _ message: String, allowed: [String]? = nil) {
            issues.append(ValidationIssue(.error, path: path, message, allowed: allowed))
        }
        func warning(_ path: String, _ message: String) { issues.append(ValidationIssue(.warning, path: path, message)) }
        guard case .object(let f) = json else {
            error("", "a task answer must be a JSON object, found \(json.typeName)")
            return ClipAnswerValidation(answer: nil, issues: issues)
        }
        guard case .array(let items)? = f["data"] else {
            let failed = f["code"].flatMap { if case .number(let n) = $0, n != 200 { Walker.figure(n) } else { nil } }
            let said = f["message"]?.stringValue.map { ": \"\($0)\"" } ?? ""
            error("data", failed.map { "no clips: the call failed with code \($0)\(said)" } ?? "expected the list of clips")
            return ClipAnswerValidation(answer: nil, issues: issues)
        }
        // Producer's answer has a task status; its clips carry `sound` or `wav_url`.
        let producer = f["status"] != nil || items.contains { $0["sound"] != nil || $0["wav_url"] != nil }
        var answer = ClipAnswer(service: producer ? .producer : .sonic, code: nil, status: nil, clips: [])
        switch f["code"] {
        case nil, .null?: break
        case .number(let n)?:
            answer.code = Int(exactly: n)
            if n != 200 { warning("code", "\(Walker.figure(n)): the call did not succeed") }
        case let other?: error("code", "expected a number, found \(other.typeName)")
        }
        if producer {
            switch f["status"] {
            case .string(let s)? where producerStatuses.contains(s):
                answer.status = s
                if s == "FAILED" { warning("status", "the task failed: its clips are not a delivery") }
                if s == "PENDING" || s == "RUNNING" {
                    warning("status", "the task is not finished: an audio_url may be a streaming preview")
                }
            case nil, .null?: warning("status", "missing: whether the task finished is not said")
            case let other?: error("status", "\(other.stringValue.map { "\"\($0)\"" } ?? other.typeName) is not a task status",
                                   allowed: producerStatuses)
            }
        }
        if items.isEmpty { warning("data", "the answer lists no clips") }
        for (index, item) in items.enumerated() {
            let path = "data[\(index)]"
            guard case .object(let c) = item else {
                error(path, "expected a clip object, found \(item.typeName)")
                continue
            }
            func text(_ key: String) -> String? {
                switch c[key] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                case let other?:
                    error("\(path).\(key)", "expected a string, found \(other.typeName)")
                    return nil
                }
            }
            var clip = Clip(clipID: "", title: text("title"), state: nil, audioURL: text("audio_url"), duration: nil,
                            durationWasText: false, model: text("mv"), lyrics: text("lyrics"),
                            style: producer ? text("sound") : text("tags"))
            switch c["clip_id"] {
            case .string(let s)? where !s.isEmpty: clip.clipID = s
            case nil, .null?, .string?: error("\(path).clip_id", "required field is missing")
            case let other?: error("\(path).clip_id", "expected a string, found \(other.typeName)")
            }
            if !producer || c["state"] != nil {
                switch c["state"] {
                case .string(let s)? where sonicStates.contains(s) || ["completed", "complete"].contains(s):
                    clip.state = s
                case nil, .null?: if !producer { warning("\(path).state", "missing: whether the clip finished is not said") }
                case let other?: error("\(path).state", "\(other.stringValue.map { "\"\($0)\"" } ?? other.typeName) is "
                                           + "not a clip state", allowed: sonicStates)
                }
            }
            switch c["duration"] {
            case nil, .null?: break
            case .number(let n)?: clip.duration = n
            case .string(let s)?:
                if let n = Double(s.trimmingCharacters(in: .whitespaces)), n.isFinite {
                    clip.duration = n
                    clip.durationWasText = true
                } else {
                    error("\(path).duration", "\"\(s)\" is not a number of seconds")
                }
            case let other?: error("\(path).duration", "expected seconds as a number, found \(other.typeName)")
            }
            if let d = clip.duration, !(0...86_400).contains(d) {
                error("\(path).duration", "\(Walker.figure(d)) s is not a track length")
                clip.duration = nil
            }
            let finished = producer ? [.finished, .unknown].contains(AnswerEntry.Progress(state: answer.status))
                : AnswerEntry.Progress(state: clip.state) == .finished
            if finished {
                if (clip.audioURL ?? "").isEmpty { error("\(path).audio_url", "a finished clip must carry its audio URL") }
                // Sonic documents the duration (an integer); Producer's may be absent or null.
                if !producer, c["duration"] == nil || c["duration"] == .null {
                    warning("\(path).duration", "missing or null: the delivered length cannot be checked against it")
                }
            } else if producer == false, let state = clip.state, state != "succeeded" {
                warning("\(path).state", "\"\(state)\": the clip is not finished")
            }
            answer.clips.append(clip)
        }
        let ok = !issues.contains { $0.severity == .error }
        return ClipAnswerValidation(answer: ok ? answer : nil, issues: issues)
    }
}
