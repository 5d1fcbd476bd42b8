/// What a task answer says of one delivered track, whichever service wrote
/// it: Nuro's task, or the Sonic or Producer clip the file is.
public struct AnswerEntry: Sendable, Equatable {
    public var service: GenerationService
    /// Nuro's `task_id`, or the clip's `clip_id`.
    public var id: String
    /// Seconds of audio the service reports; nil when it reports none.
    public var duration: Double?
    /// True when the answer wrote the duration as a string ("104.88").
    public var durationWasText: Bool
    /// The model that made the track (`mv`), when the answer says.
    public var model: String?
    /// The state the answer gives the track: Nuro's task `status`, Sonic's clip
    /// `state`, Producer's task `status`, as written; nil when it gives none.
    public var state: String?

    /// How far the answer says the track got.
    public enum Progress: Sendable, Equatable {
        /// Succeeded: the file is the delivery.
        case finished
        /// Pending, running or streaming: a download now is a preview or nothing.
        case unfinished
        /// The task failed: whatever the file is, it is not its delivery.
        case failed
        /// The answer says nothing of it.
        case unknown

        /// The one reading of the services' words: Nuro's and Sonic's
        /// `succeeded` (and `complete`, `completed`, seen in the wild),
        /// Producer's `SUCCESS`; `failed`, `FAILED`; anything else unfinished.
        public init(state: String?) {
            switch state {
            case nil: self = .unknown
            case "succeeded", "complete", "completed", "SUCCESS": self = .finished
            case "failed", "FAILED": self = .failed
            default: self = .unfinished
            }
        }
    }

    public var progress: Progress { Progress(state: state) }

    public init(service: GenerationService, id: String, duration: Double?, durationWasText: Bool = false,
                model: String? = nil, state: String? = nil) {
        self.service = service
        self.id = id
        self.duration = duration
        self.durationWasText = durationWasText
        self.model = model
        self.state = state
    }
}

/// A task answer of any service, as read: Nuro's one task, or Sonic's or
/// Producer's list of clips. What `validate` reports and the gate judges by.
public enum ServiceAnswer: Sendable, Equatable {
    case nuro(TaskAnswer)
    case clips(ClipAnswer)

    /// True when the JSON is a task answer of some service rather than a request.
    public static func looksLikeAnswer(_ json: JSONValue) -> Bool {
        ClipAnswer.looksLikeAnswer(json) || TaskAnswer.looksLikeTask(json)
    }

    /// Reads an answer of whichever service its fields show (a list of clips:
    /// Sonic or Producer; otherwise Nuro's task).
    ///
    /// - Returns: the answer when it is usable, every issue found, and the
    ///   service it is (for an unusable list of clips: Producer when it has a
    ///   task `status`, Sonic otherwise).
    public static func validate(_ json: JSONValue) -> (answer: ServiceAnswer?, issues: [ValidationIssue],
                                                      service: GenerationService) {
        if ClipAnswer.looksLikeAnswer(json) {
            let result = ClipAnswer.validate(json)
            return (result.answer.map(ServiceAnswer.clips), result.issues,
                    result.answer?.service ?? (json["status"] != nil ? .producer : .sonic))
        }
        let result = TaskAnswer.validate(json)
        return (result.answer.map(ServiceAnswer.nuro), result.issues, .nuro)
    }

    /// What the answer says of one track: the clip named by `clip`, or else
    /// the one a name of the file (`fileStems`, tried in order) is
    /// (`ClipAnswer.clip(forFileStem:)`); Nuro's answer is its one task.
    ///
    /// - Returns: the entry, and a sentence when a clip was looked for in vain
    ///   or named to no purpose.
    public func entry(clip: String?, fileStems: [String]) -> (entry: AnswerEntry?, note: String?) {
        switch self {
        case .nuro(let answer):
            return (answer.entry, clip.map { "a clip (\($0)) was named, but a Nuro task answer describes one track: "
                + "the clip was not used" })
        case .clips(let answer):
            let listed = answer.clips.map(\.clipID).joined(separator: ", ")
            if let clip {
                guard let named = answer.clips.first(where: { $0.clipID == clip }) else {
                    return (nil, "the task answer lists no clip \(clip) (it lists \(listed))")
                }
                return (answer.entry(named), nil)
            }
            for stem in fileStems {
                if let found = answer.clip(forFileStem: stem) { return (answer.entry(found), nil) }
            }
            return (nil, "the task answer lists \(answer.clips.count) clips (\(listed)) and none is this file: "
                + "name the file by its clip_id, or say which with --clip (a manifest's \"clip\")")
        }
    }
}

extension TaskAnswer {
    /// Nuro's answer as an entry: its task and reported duration.
    public var entry: AnswerEntry { AnswerEntry(service: .nuro, id: taskID, duration: duration, state: status.rawValue) }
}

extension ClipAnswer {
    /// One clip of the answer as an entry.
    public func entry(_ clip: Clip) -> AnswerEntry {
        // A failed or unfinished Producer task says so for all its clips; a clip's own state says more.
        let state = status == "SUCCESS" ? clip.state ?? status : status ?? clip.state
        return AnswerEntry(service: service, id: clip.clipID, duration: clip.duration,
                           durationWasText: clip.durationWasText, model: clip.model, state: state)
    }
}
