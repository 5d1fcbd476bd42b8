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
    }

    public var progress: Progress {
        switch state?.lowercased() {
        case nil: .unknown
        case "succeeded", "success", "complete", "completed": .finished
        case "failed": .failed
        default: .unfinished
        }
    }

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

extension TaskAnswer {
    /// Nuro's answer as an entry: its task and reported duration.
    public var entry: AnswerEntry { AnswerEntry(service: .nuro, id: taskID, duration: duration, state: status.rawValue) }
}

extension ClipAnswer {
    /// One clip of the answer as an entry.
    public func entry(_ clip: Clip) -> AnswerEntry {
        // A failed or unfinished Producer task says so for all its clips; a clip's own state says more.
        let state = status == "SUCCESS" ? clip.state ?? status : status ?? clip.state
        return AnswerEntry(service: service == .sonic ? .sonic : .producer, id: clip.clipID, duration: clip.duration,
                           durationWasText: clip.durationWasText, model: clip.model, state: state)
    }
}
