import Foundation

/// Sonic's rules (`POST /api/v1/sonic/create`), from the vendor's pages
/// "Create Sonic music" and "Sonic instructions". Where two pages disagree,
/// both readings are accepted, and the stricter one is a warning:
/// - `title`: under 80 characters (create page, error text) or up to 120
///   (instructions): over 80 warns, over 120 is an error;
/// - `tags`: under 200 (create page, error text) or up to 80 (older
///   instructions): over 80 warns, over 200 is an error;
/// - `gpt_description_prompt`: at most 400 (instructions) or under 200 (error
///   text): over 200 warns, over 400 is an error;
/// - lyrics (`prompt` in custom mode): 3,000 characters on `sonic-v3-5` and
///   `sonic-v4`, 5,000 on `sonic-v4-5`, `sonic-v4-5-plus` and `sonic-v5`
///   (instructions; the older create page says 3,000 for all, and names only
///   the first two models);
/// - `continue_at`: documented as an integer, with 0.1 in an example: any
///   number of seconds from 0 is accepted.
extension Walker {
    static let sonicTaskTypes = [
        "create_music", "extend_music", "cover_music", "concat_music", "persona_music", "extend_upload_music",
        "cover_upload_music", "remaster", "add_vocals", "add_instrumental",
    ]
    static let sonicFields: Set<String> = [
        "task_type", "custom_mode", "mv", "prompt", "gpt_description_prompt", "title", "tags", "negative_tags",
        "make_instrumental", "vocal_gender", "auto_lyrics", "style_weight", "weirdness_constraint", "audio_weight",
        "continue_clip_id", "continue_at", "persona_id", "webhook_url", "webhook_secret",
    ]

    mutating func sonic(_ f: [String: JSONValue]) -> SonicRequest? {
        var request = SonicRequest()
        if let task = optionalChoice(f, "task_type", from: Self.sonicTaskTypes) { request.taskType = task }
        let concat = request.taskType == "concat_music"
        // A concatenation needs only the clip it completes.
        request.customMode = boolean(f, "custom_mode", required: !concat)
        let models = SonicModel.allCases.map(\.rawValue)
        if case .string(let name)? = f["mv"], name.lowercased().hasPrefix("chirp-") {
            error("mv", "\"\(name)\" is a name of the older brand; Sonic's models are named \"sonic-*\"", allowed: models)
            request.model = name
        } else if let value = f["mv"], value != .null {
            request.model = member(value, at: "mv", of: models)
        } else if !concat {
            error("mv", "required field is missing", allowed: models)
        }
        let model = request.model.flatMap(SonicModel.init(rawValue:))
        // Make instrumental is boolean in both modes; read first, as it decides whether lyrics are needed.
        request.makeInstrumental = boolean(f, "make_instrumental")
        if request.customMode == true {
            let limit = model?.lyricsLimit ?? 5000
            // An instrumental in custom mode has no lyrics to give.
            request.prompt = optionalText(f, "prompt", limit: limit,
                                          required: request.taskType != "concat_music" && request.makeInstrumental != true)
            if let prompt = request.prompt, model == nil, prompt.unicodeScalars.count > 3000 {
                warning("prompt", "is \(prompt.unicodeScalars.count) characters long; sonic-v3-5 and sonic-v4 take at most 3000")
            }
            if f["gpt_description_prompt"] != nil, f["gpt_description_prompt"] != .null {
                warning("gpt_description_prompt", "is used without custom mode only; with \"custom_mode\": true the "
                    + "prompt's lyrics make the song")
            }
        } else {
            request.prompt = optionalText(f, "prompt")
            if request.prompt != nil, request.customMode == false {
                warning("prompt", "holds lyrics in custom mode only; without it the song is made from "
                    + "gpt_description_prompt")
            }
        }
        let describes = request.customMode == false && request.taskType == "create_music"
        request.description = optionalText(f, "gpt_description_prompt", limit: 400,
                                           softLimit: (200, "an older page of the vendor's (error text)"), required: describes)
        request.title = optionalText(f, "title", limit: 120, softLimit: (80, "the create page"))
        request.tags = optionalText(f, "tags", limit: 200, softLimit: (80, "the older instructions page"))
        request.negativeTags = optionalText(f, "negative_tags")
        if let auto = boolean(f, "auto_lyrics"), auto, request.customMode == false {
            error("auto_lyrics", "requires \"custom_mode\": true (the prompt then describes the song)")
        }
        request.vocalGender = optionalChoice(f, "vocal_gender", from: ["f", "m"])
        if request.vocalGender != nil, let model, !model.takesVocalGender {
            warning("vocal_gender", "is documented for sonic-v4-5 and later only; \(model.rawValue) may ignore it")
        }
        if request.vocalGender != nil, request.makeInstrumental == true {
            warning("vocal_gender", "is set on an instrumental request")
        }
        for key in ["style_weight", "weirdness_constraint", "audio_weight"] { _ = number(f, key, in: 0...1) }
        let continues = ["extend_music", "extend_upload_music", "cover_music", "cover_upload_music", "concat_music"]
        request.continueClipID = optionalText(f, "continue_clip_id", required: continues.contains(request.taskType))
        let extends = ["extend_music", "extend_upload_music"].contains(request.taskType)
        request.continueAt = number(f, "continue_at", in: 0...86_400, required: extends, unit: " s")
        request.personaID = optionalText(f, "persona_id", required: request.taskType == "persona_music")
        webhook(f)
        unknownFields(f, known: Self.sonicFields, kind: "Sonic")
        return request
    }

    /// `webhook_url` (http or https, at most 1,024 characters) and `webhook_secret`.
    mutating func webhook(_ f: [String: JSONValue]) {
        if let url = optionalText(f, "webhook_url", limit: 1024),
           !(url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://")) {
            error("webhook_url", "must be an http or https URL")
        }
        _ = optionalText(f, "webhook_secret")
    }
}
