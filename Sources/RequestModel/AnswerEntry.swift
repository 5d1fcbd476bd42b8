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

    public init(service: GenerationService, id: String, duration: Double?, durationWasText: Bool = false, model: String? = nil) {
        self.service = service
        self.id = id
        self.duration = duration
        self.durationWasText = durationWasText
        self.model = model
    }
}

extension TaskAnswer {
    /// Nuro's answer as an entry: its task and reported duration.
    public var entry: AnswerEntry { AnswerEntry(service: .nuro, id: taskID, duration: duration) }
}

extension ClipAnswer {
    /// One clip of the answer as an entry.
    public func entry(_ clip: Clip) -> AnswerEntry {
        AnswerEntry(service: service == .sonic ? .sonic : .producer, id: clip.clipID, duration: clip.duration,
                    durationWasText: clip.durationWasText, model: clip.model)
    }
}
