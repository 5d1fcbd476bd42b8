import Foundation

/// A Producer request (`POST /api/v1/producer/create`, instrumental and BGM), as read.
///
/// Producer takes no duration: a track's length is checked against its task
/// answer's `duration` and the longest track one call makes
/// (`ProducerRequest.longestTrackSeconds`).
public struct ProducerRequest: Sendable, Equatable {
    /// `create_music` unless another documented task is named.
    public var taskType: String
    /// Free text: style, mood, instruments.
    public var sound: String?
    /// Lyrics with section tags (`[Verse]`, `[Chorus]`).
    public var lyrics: String?
    /// `mv` as written (`FUZZ-2.0` when absent; every name is served by one model since spring 2026).
    public var model: String?
    public var title: String?
    public var seed: String?
    /// Documented as accepted but ignored.
    public var makeInstrumental: Bool?
    /// The clip an extend, replace or cover task works on.
    public var clipID: String?

    public init(taskType: String = "create_music", sound: String? = nil, lyrics: String? = nil, model: String? = nil,
                title: String? = nil, seed: String? = nil, makeInstrumental: Bool? = nil, clipID: String? = nil) {
        self.taskType = taskType
        self.sound = sound
        self.lyrics = lyrics
        self.model = model
        self.title = title
        self.seed = seed
        self.makeInstrumental = makeInstrumental
        self.clipID = clipID
    }

    /// The longest track one create call makes: 240 s (the vendor's note on
    /// extending clips: "a single create call can produce up to 240 seconds").
    public static let longestTrackSeconds = 240.0

    public var expectedStructure: ExpectedStructure {
        var instrumental: String?
        if let word = Instrumental.word(in: [sound]) {
            instrumental = "the style text says \"\(word)\""
        } else if makeInstrumental == true {
            instrumental = "make_instrumental is true (documented as ignored: say \"instrumental\" in sound)"
        }
        return ExpectedStructure(duration: nil, sections: [], longestDuration: Self.longestTrackSeconds,
                                 lyricSections: LyricSections.names(in: lyrics ?? ""), instrumental: instrumental,
                                 extensionOnly: false)
    }
}

/// Whether style text asks for music without voices.
enum Instrumental {
    /// The first word of `texts` that asks for no vocals ("instrumental", "no vocals", ...).
    static func word(in texts: [String?]) -> String? {
        for text in texts.compactMap({ $0?.lowercased() }) {
            for phrase in ["no vocals", "without vocals", "no vocal", "instrumental"] where text.contains(phrase) {
                return phrase
            }
        }
        return nil
    }
}
