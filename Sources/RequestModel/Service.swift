/// The three services whose requests TrackGate reads, told apart by their fields.
public enum GenerationService: String, Sendable, Codable {
    case nuro = "Nuro"
    case sonic = "Sonic"
    case producer = "Producer"

    /// The strongest sign first, so one stray field does not turn a request
    /// into another service's: `"type"` (Nuro); the model, `sonic-*` (Sonic)
    /// or a FUZZ or Lyria name (Producer); `custom_mode` (Sonic) or `sound`
    /// (Producer), each required by its service only; then fields only one
    /// service has; lyrics without Nuro's fields are Producer's. Anything else
    /// is read as Nuro (whose reading guesses the kind of a request without `"type"`).
    static func of(_ f: [String: JSONValue]) -> GenerationService {
        if f["type"] != nil { return .nuro }
        let model = f["mv"]?.stringValue?.lowercased() ?? ""
        if model.hasPrefix("sonic") || model.hasPrefix("chirp") { return .sonic }
        if model.hasPrefix("fuzz") || model.hasPrefix("lyria") { return .producer }
        if f["custom_mode"] != nil { return .sonic }
        if f["sound"] != nil { return .producer }
        let sonicFields = ["gpt_description_prompt", "continue_clip_id", "continue_at", "persona_id", "vocal_gender",
                           "negative_tags", "auto_lyrics", "style_weight", "weirdness_constraint", "audio_weight", "prompt"]
        if sonicFields.contains(where: { f[$0] != nil }) { return .sonic }
        let producerFields = ["task_type", "make_instrumental", "seed", "clip_id", "starts_at", "lyrics_strength",
                              "sound_strength", "weirdness"]
        if producerFields.contains(where: { f[$0] != nil }) { return .producer }
        let nuroFields = ["version", "description", "duration", "segments", "genre", "mood", "gender", "timbre",
                          "instrument", "theme"]
        if f["lyrics"] != nil, !nuroFields.contains(where: { f[$0] != nil }) { return .producer }
        return .nuro
    }
}
