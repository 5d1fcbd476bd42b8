import RequestModel
import Testing

var validProducer: [String: Any] { [
    "task_type": "create_music", "sound": "lo-fi hip hop, mellow piano, vinyl crackle", "mv": "FUZZ-2.0",
    "title": "Rainy Desk",
] }

/// Every rule of Producer's create request, each with a valid and an invalid case.
@Suite struct ProducerRuleTests {
    func issues(_ v: RequestValidation) -> [String] { v.issues.map { "\($0.severity) \($0.path)" } }

    @Test func soundRequestIsValid() throws {
        let v = try check(validProducer)
        #expect(v.isValid && v.issues.isEmpty, "\(v.issues)")
        #expect(v.request?.kind == .producer)
        let e = try #require(v.request?.expectedStructure)
        #expect(e.duration == nil && e.longestDuration == 240 && e.lyricSections.isEmpty && e.instrumental == nil)
    }

    @Test func lyricsRequestTellsItsSections() throws {
        let v = try check(["task_type": "create_music", "lyrics": "[Verse]\nRain\n[Chorus]\nDesk lamp\n[Bridge]\nQuiet"])
        #expect(v.isValid && v.issues.isEmpty)
        #expect(v.request?.expectedStructure.lyricSections == ["Verse", "Chorus", "Bridge"])
    }

    @Test func soundOrLyricsIsRequired() throws {
        #expect(errorPaths(try check(with(validProducer, ["sound": nil]))) == [""])
        #expect(errorPaths(try check(with(validProducer, ["sound": " "]))) == [""])
        #expect(errorPaths(try check(with(validProducer, ["sound": 3]))) == ["sound", ""])
    }

    @Test func taskTypeIsRequiredAndRetiredOnesFail() throws {
        #expect(errorPaths(try check(with(validProducer, ["task_type": nil, "mv": nil]))) == ["task_type"])
        let retired = try check(with(validProducer, ["task_type": "music_variation"]))
        #expect(retired.errors.first?.message == "\"music_variation\" is retired: the API answers 410 Gone")
        #expect(errorPaths(try check(with(validProducer, ["task_type": "make_music"]))) == ["task_type"])
    }

    @Test(arguments: [79, 80, 81])
    func titleAtMost80(_ count: Int) throws {
        #expect(try check(with(validProducer, ["title": lyrics(count)])).isValid == (count <= 80))
    }

    @Test func modelNamesOffTheListWarn() throws {
        #expect(try check(with(validProducer, ["mv": "Lyria 3 Pro"])).issues.isEmpty)
        let near = try check(with(validProducer, ["mv": "fuzz-2.0"]))
        #expect(near.isValid && near.issues.first?.message.contains("did you mean \"FUZZ-2.0\"") == true)
        #expect(issues(try check(with(validProducer, ["mv": "FUZZ-9"]))) == ["warning mv"])
        #expect(errorPaths(try check(with(validProducer, ["mv": 2]))) == ["mv"])
    }

    @Test func seedIsAStringOfDigits() throws {
        #expect(try check(with(validProducer, ["seed": "42"])).issues.isEmpty)
        #expect(issues(try check(with(validProducer, ["seed": "abc"]))) == ["warning seed"])
        #expect(issues(try check(with(validProducer, ["seed": 42]))) == ["warning seed"])
        #expect(errorPaths(try check(with(validProducer, ["seed": [1]]))) == ["seed"])
    }

    /// Documented as accepted but ignored: a warning, and the report still says
    /// the request asked for no vocals.
    @Test func ignoredFieldsWarn() throws {
        let v = try check(with(validProducer, ["make_instrumental": true]))
        #expect(v.isValid && issues(v) == ["warning make_instrumental"])
        #expect(v.request?.expectedStructure.instrumental?.hasPrefix("make_instrumental is true") == true)
        for key in ["lyrics_strength", "sound_strength", "weirdness"] {
            #expect(issues(try check(with(validProducer, [key: 0.5]))) == ["warning \(key)"])
            #expect(issues(try check(with(validProducer, [key: 5]))) == ["error \(key)", "warning \(key)"])
        }
        let styled = try check(with(validProducer, ["sound": "ambient pads, instrumental, no vocals"]))
        #expect(styled.request?.expectedStructure.instrumental == "the style text says \"no vocals\"")
    }

    @Test func extendReplaceAndCoverNeedTheirFields() throws {
        #expect(errorPaths(try check(["task_type": "extend_music"])) == ["clip_id", "starts_at"])
        #expect(try check(["task_type": "extend_music", "clip_id": "c", "starts_at": 30, "length": 60]).isValid)
        #expect(errorPaths(try check(["task_type": "extend_music", "clip_id": "c", "starts_at": 30, "length": 300]))
                == ["length"])
        #expect(errorPaths(try check(["task_type": "replace_music", "clip_id": "c", "starts_at": 30, "ends_at": 20]))
                == ["ends_at"])
        #expect(try check(["task_type": "replace_music", "clip_id": "c", "starts_at": 30, "ends_at": 45]).isValid)
        #expect(errorPaths(try check(["task_type": "cover_music", "clip_id": "c"])) == ["instruction"])
        #expect(try check(["task_type": "cover_music", "clip_id": "c", "instruction": "jazz", "strength": 0.5]).isValid)
        #expect(errorPaths(try check(["task_type": "cover_music", "clip_id": "c", "instruction": "jazz", "strength": 2]))
                == ["strength"])
    }

    @Test func webhookAndUnknownFields() throws {
        #expect(errorPaths(try check(with(validProducer, ["webhook_url": "https://" + lyrics(1017)]))) == ["webhook_url"])
        #expect(issues(try check(with(validProducer, ["duration": 60]))) == ["warning duration"])
    }

    /// Told apart by their fields: a Nuro request says "type"; Sonic's carry
    /// custom_mode; Producer's carry sound or a task type without custom_mode.
    @Test func servicesAreToldApart() throws {
        #expect(try check(validVocal).request?.kind == .vocal)
        #expect(try check(validSonic).request?.kind == .sonic)
        #expect(try check(validProducer).request?.kind == .producer)
        #expect(try check(["mv": "sonic-v4"]).readable?.kind == .sonic)
        #expect(try check(["mv": "FUZZ-2.0"]).readable?.kind == .producer)
        // One stray field of the other service does not change the reading.
        let stray = try check(with(validProducer, ["negative_tags": "vocals"]))
        #expect(stray.request?.kind == .producer && stray.issues.map(\.path) == ["negative_tags"])
        #expect(try check(["lyrics": "[Verse]\nRain"]).readable?.kind == .producer)
        #expect(try check(with(validVocal, ["type": nil])).readable?.kind == .vocal)
    }
}
