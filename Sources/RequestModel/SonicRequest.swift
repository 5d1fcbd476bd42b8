import Foundation

/// A Sonic request (`POST /api/v1/sonic/create`, vocal music), as read.
///
/// Sonic takes no duration: a track's length is checked against its task
/// answer's `duration` and the model's documented longest song
/// (`SonicModel.longestSongSeconds`).
public struct SonicRequest: Sendable, Equatable {
    /// `create_music` when absent (the create examples omit it).
    public var taskType: String
    /// Required by the API: true when `prompt` holds the lyrics.
    public var customMode: Bool?
    /// `mv` as written.
    public var model: String?
    /// Lyrics in custom mode (a song description with `auto_lyrics`).
    public var prompt: String?
    /// `gpt_description_prompt`: the song described in words, without custom mode.
    public var description: String?
    public var title: String?
    /// Style words (`tags`).
    public var tags: String?
    public var negativeTags: String?
    public var makeInstrumental: Bool?
    /// `f` or `m`.
    public var vocalGender: String?
    public var continueClipID: String?
    /// Seconds into the continued clip.
    public var continueAt: Double?
    public var personaID: String?

    public init(taskType: String = "create_music", customMode: Bool? = nil, model: String? = nil, prompt: String? = nil,
                description: String? = nil, title: String? = nil, tags: String? = nil, negativeTags: String? = nil,
                makeInstrumental: Bool? = nil, vocalGender: String? = nil, continueClipID: String? = nil,
                continueAt: Double? = nil, personaID: String? = nil) {
        self.taskType = taskType
        self.customMode = customMode
        self.model = model
        self.prompt = prompt
        self.description = description
        self.title = title
        self.tags = tags
        self.negativeTags = negativeTags
        self.makeInstrumental = makeInstrumental
        self.vocalGender = vocalGender
        self.continueClipID = continueClipID
        self.continueAt = continueAt
        self.personaID = personaID
    }

    /// The lyrics, when the prompt holds them (custom mode without `auto_lyrics`).
    public var lyrics: String? { customMode == true ? prompt : nil }

    public var expectedStructure: ExpectedStructure {
        let known = model.flatMap(SonicModel.init(rawValue:))
        var instrumental: String?
        if makeInstrumental == true {
            instrumental = "make_instrumental is true"
        } else if let word = Instrumental.word(in: [tags, description]) {
            instrumental = "the style text says \"\(word)\""
        }
        return ExpectedStructure(duration: nil, sections: [], longestDuration: known.map(\.longestSongSeconds),
                                 lyricSections: LyricSections.names(in: lyrics ?? ""), instrumental: instrumental,
                                 extensionOnly: taskType == "extend_music" || taskType == "extend_upload_music")
    }
}

/// Sonic's models (`mv`), with what the vendor documents of each.
public enum SonicModel: String, Sendable, CaseIterable {
    case v3_5 = "sonic-v3-5"
    case v4 = "sonic-v4"
    case v4_5 = "sonic-v4-5"
    case v4_5Plus = "sonic-v4-5-plus"
    case v5 = "sonic-v5"

    /// The longest song one generation makes, in seconds: "about 2 minutes"
    /// (v3-5, v4), "about 4 minutes" (v4-5, v4-5-plus), "4 to 8 minutes" (v5),
    /// the vendor's FAQ. Approximate, so the gate warns past it, never fails.
    public var longestSongSeconds: Double {
        switch self {
        case .v3_5, .v4: 120
        case .v4_5, .v4_5Plus: 240
        case .v5: 480
        }
    }

    /// The most characters of lyrics (`prompt`) in custom mode: 3,000 on v3-5 and
    /// v4, 5,000 on the later models (the vendor's "Sonic instructions"; the older
    /// create page says 3,000 for all).
    public var lyricsLimit: Int {
        switch self {
        case .v3_5, .v4: 3000
        case .v4_5, .v4_5Plus, .v5: 5000
        }
    }

    /// `vocal_gender` is documented for v4-5 and later only.
    public var takesVocalGender: Bool { ![.v3_5, .v4].contains(self) }
}
