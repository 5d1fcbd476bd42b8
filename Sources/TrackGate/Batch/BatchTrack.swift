/// One track of a batch, as a folder or a manifest line lists it.
public struct BatchTrack: Sendable, Equatable {
    /// Names the outputs (`OUT/ID.wav`, `OUT/ID.json`) and the track in reports.
    public var id: String
    public var audio: String?
    public var request: JSONSource?
    public var task: JSONSource?
    /// The `clip_id` of the Sonic or Producer clip the audio is, when the
    /// listing knows it (a manifest's `clip`, a folder's answer); nil: found from the id.
    public var clip: String?
    /// Where the track was listed (`DIR/NAME.wav`, `tracks.jsonl:12`), for messages.
    public var origin: String
    /// Why the track cannot be run (no request beside the audio, an unsafe id, a
    /// manifest line that is not JSON); such a track gets verdict `error`.
    public var problem: String?
    /// What kind of problem `problem` is (`error_kind`).
    public var problemKind: InputErrorKind?

    public init(id: String, audio: String?, request: JSONSource?, task: JSONSource? = nil,
                origin: String, problem: String? = nil, problemKind: InputErrorKind? = nil) {
        self.id = id
        self.audio = audio
        self.request = request
        self.task = task
        self.origin = origin
        self.problem = problem
        self.problemKind = problemKind
    }
}

extension BatchTrack {
    /// The report of a track that cannot be run (`problem` set, or no audio or
    /// request): verdict `error`, exit code 2. Such a track has no sidecar.
    public var problemReport: TrackReport {
        TrackReport(id: id, file: audio ?? origin, error: problem ?? "\(origin): no audio or no request",
                    errorKind: problemKind, unreadable: true)
    }
}
