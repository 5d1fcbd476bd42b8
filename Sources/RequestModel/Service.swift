/// The three services whose requests TrackGate reads, told apart by their fields.
public enum GenerationService: String, Sendable, Codable {
    case nuro = "Nuro"
    case sonic = "Sonic"
    case producer = "Producer"

    /// Nuro requests say `"type"`; Sonic's carry `custom_mode`, a `sonic-*`
    /// model or one of its own fields; Producer's carry `sound`, a FUZZ or Lyria
    /// model, or a `task_type` without `custom_mode`. Anything else is read as Nuro
    /// (whose reading guesses the kind of a request without `"type"`).
    static func of(_ f: [String: JSONValue]) -> GenerationService {
        if f["type"] != nil { return .nuro }
        let model = f["mv"]?.stringValue?.lowercased() ?? ""
        let sonicFields = ["custom_mode", "gpt_description_prompt", "continue_clip_id", "continue_at", "persona_id",
                           "vocal_gender", "negative_tags", "auto_lyrics", "style_weight", "weirdness_constraint",
                           "audio_weight", "prompt"]
        if model.hasPrefix("sonic") || model.hasPrefix("chirp") || sonicFields.contains(where: { f[$0] != nil }) {
            return .sonic
        }
        if model.hasPrefix("fuzz") || model.hasPrefix("lyria") || f["sound"] != nil || f["task_type"] != nil
            || f["make_instrumental"] != nil || f["seed"] != nil {
            return .producer
        }
        return .nuro
    }
}
