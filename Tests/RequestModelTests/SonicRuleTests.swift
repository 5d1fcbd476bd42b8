import RequestModel
import Testing

var validSonic: [String: Any] { [
    "task_type": "create_music", "custom_mode": true, "mv": "sonic-v4-5", "title": "Neon City",
    "tags": "synthwave, female vocals", "prompt": "[Verse]\nLights on the water\n[Chorus]\nNeon city\n[Outro]\nHold me",
] }

var validSonicDescribed: [String: Any] { [
    "custom_mode": false, "mv": "sonic-v4", "gpt_description_prompt": "A calm acoustic song about the sea",
] }

/// Every rule of Sonic's create request, each with a valid and an invalid case.
@Suite struct SonicRuleTests {
    /// The paths and severities of a validation's issues.
    func issues(_ v: RequestValidation) -> [String] { v.issues.map { "\($0.severity) \($0.path)" } }

    @Test func customModeRequestIsValidAndTellsItsSections() throws {
        let v = try check(validSonic)
        #expect(v.isValid && v.issues.isEmpty, "\(v.issues)")
        #expect(v.request?.kind == .sonic)
        let e = try #require(v.request?.expectedStructure)
        #expect(e.duration == nil && e.longestDuration == 240 && e.sections.isEmpty)
        #expect(e.lyricSections == ["Verse", "Chorus", "Outro"])
        #expect(e.instrumental == nil)
    }

    @Test func describedRequestIsValid() throws {
        let v = try check(validSonicDescribed)
        #expect(v.isValid && v.issues.isEmpty, "\(v.issues)")
        #expect(v.request?.expectedStructure.longestDuration == 120)
        #expect(v.request?.title == "A calm acoustic song about the sea")
    }

    @Test func customModeIsRequiredAndBoolean() throws {
        #expect(errorPaths(try check(with(validSonic, ["custom_mode": nil]))) == ["custom_mode"])
        let quoted = try check(with(validSonic, ["custom_mode": "true"]))
        #expect(quoted.errors.map(\.message) == ["should be boolean (true or false), found a string (write it without quotes)"])
    }

    @Test(arguments: SonicModel.allCases)
    func everyDocumentedModelIsAccepted(_ model: SonicModel) throws {
        #expect(try check(with(validSonic, ["mv": model.rawValue])).isValid)
    }

    @Test func modelIsRequiredAndFromTheList() throws {
        #expect(errorPaths(try check(with(validSonic, ["mv": nil]))) == ["mv"])
        let v = try check(with(validSonic, ["mv": "Sonic-V4"]))
        #expect(v.errors.first?.message.contains("did you mean \"sonic-v4\"") == true)
        #expect(errorPaths(try check(with(validSonic, ["mv": "sonic-v9"]))) == ["mv"])
    }

    /// 3,000 characters of lyrics on v3-5 and v4, 5,000 on the later models.
    @Test(arguments: [("sonic-v4", 3000, true), ("sonic-v4", 3001, false), ("sonic-v3-5", 3001, false),
                      ("sonic-v4-5", 5000, true), ("sonic-v4-5-plus", 5001, false), ("sonic-v5", 5000, true)])
    func lyricsLimitByModel(_ model: String, _ count: Int, _ ok: Bool) throws {
        let v = try check(with(validSonic, ["mv": model, "prompt": lyrics(count)]))
        #expect(v.isValid == ok)
        if !ok { #expect(v.errors.map(\.path) == ["prompt"]) }
    }

    @Test func chirpNamesAreTheOlderBrands() throws {
        let v = try check(with(validSonic, ["mv": "chirp-v4"]))
        #expect(v.issues.map { "\($0.severity) \($0.path)" } == ["error mv"])
        #expect(v.errors.first?.message.contains("older brand") == true)
    }

    @Test func customModeNeedsLyrics() throws {
        // An instrumental has no lyrics to give.
        #expect(try check(with(validSonic, ["prompt": nil, "make_instrumental": true])).isValid)
        #expect(errorPaths(try check(with(validSonic, ["prompt": nil]))) == ["prompt"])
        #expect(errorPaths(try check(with(validSonic, ["prompt": "  "]))) == ["prompt"])
    }

    @Test func descriptionWithoutCustomMode() throws {
        #expect(errorPaths(try check(with(validSonicDescribed, ["gpt_description_prompt": nil]))) == ["gpt_description_prompt"])
        // The pages disagree: at most 400 (instructions), under 200 (error text).
        let middle = try check(with(validSonicDescribed, ["gpt_description_prompt": lyrics(300)]))
        #expect(middle.isValid && issues(middle) == ["warning gpt_description_prompt"])
        #expect(errorPaths(try check(with(validSonicDescribed, ["gpt_description_prompt": lyrics(401)]))) == ["gpt_description_prompt"])
        // Lyrics without custom mode are not used: a warning.
        #expect(issues(try check(with(validSonicDescribed, ["prompt": "la la"]))) == ["warning prompt"])
    }

    @Test(arguments: [(80, "ok"), (100, "warning"), (120, "warning"), (121, "error")])
    func titleLimitBothReadings(_ count: Int, _ outcome: String) throws {
        let v = try check(with(validSonic, ["title": lyrics(count)]))
        #expect(issues(v) == (outcome == "ok" ? [] : ["\(outcome) title"]))
    }

    @Test(arguments: [(80, "ok"), (150, "warning"), (200, "warning"), (201, "error")])
    func tagsLimitBothReadings(_ count: Int, _ outcome: String) throws {
        let v = try check(with(validSonic, ["tags": lyrics(count)]))
        #expect(issues(v) == (outcome == "ok" ? [] : ["\(outcome) tags"]))
    }

    @Test func vocalGender() throws {
        #expect(try check(with(validSonic, ["vocal_gender": "m"])).issues.isEmpty)
        #expect(errorPaths(try check(with(validSonic, ["vocal_gender": "male"]))) == ["vocal_gender"])
        // Documented for v4-5 and later only.
        #expect(issues(try check(with(validSonic, ["mv": "sonic-v4", "vocal_gender": "f"]))) == ["warning vocal_gender"])
    }

    @Test(arguments: ["style_weight", "weirdness_constraint", "audio_weight"])
    func weightsLieBetweenZeroAndOne(_ key: String) throws {
        #expect(try check(with(validSonic, [key: 0.5])).issues.isEmpty)
        #expect(errorPaths(try check(with(validSonic, [key: 1.5]))) == [key])
        #expect(errorPaths(try check(with(validSonic, [key: "0.5"]))) == [key])
    }

    @Test func autoLyricsNeedsCustomMode() throws {
        #expect(try check(with(validSonic, ["auto_lyrics": true])).isValid)
        #expect(errorPaths(try check(with(validSonicDescribed, ["auto_lyrics": true]))) == ["auto_lyrics"])
    }

    @Test func makeInstrumentalIsBooleanAndReported() throws {
        let v = try check(with(validSonic, ["make_instrumental": true]))
        #expect(v.isValid && v.request?.expectedStructure.instrumental == "make_instrumental is true")
        #expect(errorPaths(try check(with(validSonic, ["make_instrumental": "yes"]))) == ["make_instrumental"])
        let styled = try check(with(validSonic, ["tags": "ambient, instrumental"]))
        #expect(styled.request?.expectedStructure.instrumental == "the style text says \"instrumental\"")
    }

    @Test(arguments: ["create_music", "extend_music", "cover_music", "concat_music", "persona_music",
                      "extend_upload_music", "cover_upload_music"])
    func taskTypesAndWhatTheyNeed(_ task: String) throws {
        var request = with(validSonic, ["task_type": task])
        let needs: [String] = switch task {
        case "extend_music", "extend_upload_music": ["continue_clip_id", "continue_at"]
        case "cover_music", "cover_upload_music", "concat_music": ["continue_clip_id"]
        case "persona_music": ["persona_id"]
        default: []
        }
        #expect(errorPaths(try check(request)) == needs)
        request["continue_clip_id"] = "8c2b1d3e"
        request["continue_at"] = 0.1  // the pages say "integer" and show 0.1: both are accepted
        request["persona_id"] = "p-1"
        #expect(try check(request).isValid, "\(task)")
        let extension_ = try check(request).request?.expectedStructure.extensionOnly
        #expect(extension_ == task.hasPrefix("extend"))
    }

    @Test func concatNeedsOnlyTheClip() throws {
        #expect(try check(["task_type": "concat_music", "continue_clip_id": "8c2b1d3e"]).isValid)
        #expect(errorPaths(try check(["task_type": "remix_music", "custom_mode": true, "mv": "sonic-v4", "prompt": "x"]))
                == ["task_type"])
    }

    @Test func continueAtIsSecondsFromZero() throws {
        let request = with(validSonic, ["task_type": "extend_music", "continue_clip_id": "c"])
        #expect(try check(with(request, ["continue_at", 60].pair)).isValid)
        #expect(errorPaths(try check(with(request, ["continue_at": -1]))) == ["continue_at"])
    }

    @Test func webhookAndUnknownFields() throws {
        #expect(try check(with(validSonic, ["webhook_url": "https://example.com/hook", "webhook_secret": "s"])).issues.isEmpty)
        #expect(errorPaths(try check(with(validSonic, ["webhook_url": "ftp://example.com"]))) == ["webhook_url"])
        #expect(issues(try check(with(validSonic, ["duration": 120]))) == ["warning duration"])
    }
}

private extension Array where Element == Any {
    /// `["key", value]` as a one-entry change for `with`.
    var pair: [String: Any?] { [self[0] as! String: self[1]] }
}
