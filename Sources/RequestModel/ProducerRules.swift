import Foundation

/// Producer's rules (`POST /api/v1/producer/create`), from the vendor's pages
/// "Producer create" and "Producer instructions". Where they disagree, both
/// readings are accepted:
/// - `task_type`: one page says only `create_music` (others retired, 410);
///   later pages document `extend_music`, `replace_music`, `cover_music` and
///   `cover_upload_music`. All five are accepted; `music_variation` and the
///   two swaps are errors (410 Gone on every page that names them);
/// - `make_instrumental`: "suppresses vocals" on one page, "accepted but
///   silently ignored" on the newer: a warning advises saying "instrumental,
///   no vocals" in `sound`, as the newer page does. `lyrics_strength`,
///   `sound_strength` and `weirdness` are accepted and ignored alike;
/// - `mv`: `FUZZ-2.0` by default on one page, Lyria 3 Pro on the newer, which
///   serves every FUZZ name: names off the list warn, never fail.
extension Walker {
    static let producerTaskTypes = ["create_music", "extend_music", "replace_music", "cover_music", "cover_upload_music"]
    static let producerRetiredTasks = ["music_variation", "swap_music_vocals", "swap_music_sound"]
    static let producerModels = [
        "FUZZ-2.0", "FUZZ-2.0 Pro", "FUZZ-2.0 Raw", "FUZZ-1.1 Pro", "FUZZ-1.0 Pro", "FUZZ-1.1", "FUZZ-1.0", "FUZZ-0.8",
        "FUZZ-3-Demo", "Lyria 3 preview", "Lyria 3 Pro",
    ]
    static let producerFields: Set<String> = [
        "task_type", "sound", "lyrics", "mv", "title", "seed", "make_instrumental", "lyrics_strength", "sound_strength",
        "weirdness", "clip_id", "starts_at", "ends_at", "length", "instruction", "strength", "cover_strength", "starts",
        "ends", "lyrics_text", "webhook_url", "webhook_secret",
    ]

    mutating func producer(_ f: [String: JSONValue]) -> ProducerRequest? {
        var request = ProducerRequest()
        switch f["task_type"] {
        case nil, .null?:
            error("task_type", "required field is missing (\"create_music\" to make a track)", allowed: Self.producerTaskTypes)
        case .string(let task)? where Self.producerRetiredTasks.contains(task):
            error("task_type", "\"\(task)\" is retired: the API answers 410 Gone", allowed: Self.producerTaskTypes)
            request.taskType = task
        case let value?:
            if let task = member(value, at: "task_type", of: Self.producerTaskTypes) { request.taskType = task }
        }
        let creates = request.taskType == "create_music"
        request.sound = optionalText(f, "sound")
        request.lyrics = optionalText(f, "lyrics")
        if creates, (request.sound ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
           (request.lyrics ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error("", "a create_music request needs \"sound\" (style, mood, instruments) or \"lyrics\", or both")
        }
        if let value = f["mv"], value != .null {
            if case .string(let name) = value {
                request.model = name
                if !Self.producerModels.contains(name) {
                    let near = NearMiss.of(name, in: Self.producerModels)
                    warning("mv", near.map { "\"\(name)\" is not a documented model name: did you mean \"\($0)\"?" }
                        ?? "\"\(name)\" is not a documented model name (every name is now served by one model)")
                }
            } else {
                error("mv", "expected a string, found \(value.typeName)", allowed: Self.producerModels)
            }
        }
        request.title = optionalText(f, "title", limit: 80)
        switch f["seed"] {
        case nil, .null?: break
        case .string(let s)?:
            request.seed = s
            if s.isEmpty || !s.allSatisfy(\.isASCII) || !s.allSatisfy(\.isNumber) {
                warning("seed", "\"\(s)\" is not a string of digits, as the seed is documented")
            }
        case .number(let n)?:
            warning("seed", "is documented as a string of digits; write \"\(Self.figure(n))\"")
            request.seed = Self.figure(n)
        case let other?: error("seed", "expected a string of digits, found \(other.typeName)")
        }
        request.makeInstrumental = boolean(f, "make_instrumental")
        if request.makeInstrumental != nil {
            warning("make_instrumental", "is accepted but ignored (the vendor's newer pages): write "
                + "\"instrumental, no vocals\" in sound, and leave lyrics out")
        }
        for key in ["lyrics_strength", "sound_strength", "weirdness"] where f[key] != nil && f[key] != .null {
            _ = number(f, key, in: 0...1)
            warning(key, "is accepted but ignored by the current model (the vendor's Producer overview)")
        }
        // The fields of the other tasks, checked where their task needs them.
        let onClip = ["extend_music", "replace_music", "cover_music", "cover_upload_music"].contains(request.taskType)
        request.clipID = optionalText(f, "clip_id", required: onClip)
        let startsAt = number(f, "starts_at", in: 0...86_400, required: ["extend_music", "replace_music"].contains(request.taskType)
                              && f["starts"] == nil, unit: " s")
        if request.taskType == "replace_music" {
            let endsAt = number(f, "ends_at", in: 0...86_400, required: f["ends"] == nil, unit: " s")
            if let startsAt, let endsAt, endsAt <= startsAt {
                error("ends_at", "\(Self.figure(endsAt)) s is not after starts_at (\(Self.figure(startsAt)) s)")
            }
        }
        _ = number(f, "length", in: 1...240, unit: " s")
        let covers = ["cover_music", "cover_upload_music"].contains(request.taskType)
        _ = optionalText(f, "instruction", required: covers)
        _ = number(f, "strength", in: 0...1)
        _ = number(f, "cover_strength", in: 0...1)
        if !creates, f["sound"] == nil, f["lyrics"] == nil, !onClip {
            error("", "nothing to make: give \"sound\" or \"lyrics\"")
        }
        webhook(f)
        unknownFields(f, known: Self.producerFields, kind: "Producer")
        return request
    }
}
