import RequestModel
import Testing

@Suite struct BGMv1RuleTests {
    @Test func versionMayBeOmitted() throws {
        let v = try check(with(validV1, ["version": nil]))
        #expect(v.isValid)
        #expect(v.request?.kind == .bgmV1)
    }

    @Test(arguments: [(0, false), (1, true), (60, true), (61, false)])
    func durationRange(_ seconds: Int, _ ok: Bool) throws {
        #expect(try check(with(validV1, ["duration": seconds])).isValid == ok)
    }

    @Test func descriptionIsRequiredAndNotBlank() throws {
        #expect(errorPaths(try check(with(validV1, ["description": nil]))) == ["description"])
        #expect(try check(with(validV1, ["description": "   "])).errors.map(\.message) == ["must not be empty"])
    }

    @Test func atMostFiveTagsPerList() throws {
        let five = ["corporate", "upbeat", "modern", "pop", "epic"]
        #expect(try check(with(validV1, ["genre": five])).isValid)
        let v = try check(with(validV1, ["genre": five + ["dark"]]))
        #expect(v.errors.map(\.message) == ["has 6 values; at most 5 are allowed"])
    }

    @Test func eachTagIsCheckedWithItsIndex() throws {
        let v = try check(with(validV1, ["mood": ["positive", "Energetic", "grumpy"], "instrument": ["kazoo"]]))
        #expect(errorPaths(v) == ["mood[1]", "mood[2]", "instrument[0]"])
        #expect(v.errors[0].message.contains("did you mean \"energetic\"?"))
        #expect(v.errors[2].allowed == NuroVocabulary.bgmInstruments)
    }

    /// The reference's own v1.0 request body lists "business" as a theme; it is a genre.
    @Test func aTagFromAnotherListIsNamedAsSuch() throws {
        let v = try check(with(validV1, ["theme": ["business", "motivational"]]))
        #expect(errorPaths(v) == ["theme[0]"])
        #expect(v.errors[0].message == "\"business\" is not an accepted value here; it is a BGM genre")
    }

    @Test func listsMustBeLists() throws {
        let v = try check(with(validV1, ["genre": "corporate"]))
        #expect(errorPaths(v) == ["genre"] && v.errors[0].message.hasPrefix("expected a list of strings"))
    }

    @Test func duplicatesWarn() throws {
        let v = try check(with(validV1, ["genre": ["pop", "pop"]]))
        #expect(v.isValid && v.issues.map(\.path) == ["genre[1]"])
    }

    @Test func segmentsNeedV2() throws {
        let v = try check(with(validV1, ["segments": [["name": "intro", "duration": 30]]]))
        #expect(errorPaths(v) == ["segments"])
    }

    @Test func listSizesMatchTheNotice() {
        #expect(NuroVocabulary.bgmGenres.count == 47)   // announced as 50; 47 are named
        #expect(NuroVocabulary.bgmMoods.count == 52)
        #expect(NuroVocabulary.bgmInstruments.count == 25)
        #expect(NuroVocabulary.bgmThemes.count == 28)
    }
}

@Suite struct BGMv2RuleTests {
    @Test func plainDurationRange() throws {
        let base: [String: Any] = ["type": "bgm", "version": "v2.0", "description": "Calm"]
        for (seconds, ok) in [(29, false), (30, true), (120, true), (121, false)] {
            #expect(try check(with(base, ["duration": seconds])).isValid == ok, "\(seconds)")
        }
    }

    @Test func descriptionUnder200Characters() throws {
        #expect(try check(with(v2([("intro", 30)]), ["description": lyrics(199)])).isValid)
        let v = try check(with(v2([("intro", 30)]), ["description": lyrics(200)]))
        #expect(v.errors.map(\.message) == ["is 200 characters long; it must be under 200 characters"])
    }

    @Test func durationXorSegments() throws {
        let neither: [String: Any] = ["type": "bgm", "version": "v2.0", "description": "x"]
        #expect(try check(neither).errors.map(\.message) == ["a v2.0 request needs either \"duration\" or \"segments\""])
        #expect(errorPaths(try check(with(v2([("intro", 30)]), ["duration": 30]))) == ["duration"])
    }

    @Test func segmentNamesComeFromTheSixTypes() throws {
        let v = try check(v2([("intro", 10), ("hook", 20), ("Outro", 10)]))
        #expect(errorPaths(v) == ["segments[1].name", "segments[2].name"])
        #expect(v.errors[0].allowed == ["intro", "verse", "chorus", "inst", "bridge", "outro"])
        #expect(v.errors[1].message.contains("did you mean \"outro\"?"))
    }

    @Test(arguments: [(4, false), (5, true), (120, false), (121, false)])
    func segmentDurationRange(_ seconds: Int, _ ok: Bool) throws {
        // 120 is a legal segment but the total would be 145: only the total rule fires.
        let v = try check(v2([("intro", 25), ("verse", seconds)]))
        #expect(v.isValid == ok)
        if seconds == 120 { #expect(v.errors.map(\.message) == ["the segments add up to 145 s; the total must be 30 to 120 s"]) }
        if seconds == 4 || seconds == 121 { #expect(errorPaths(v) == ["segments[1].duration"]) }
    }

    @Test func aLoneSegmentNeeds30Seconds() throws {
        #expect(try check(v2([("inst", 30)])).isValid)
        let v = try check(v2([("inst", 29)]))
        #expect(v.errors.map(\.message) == ["a lone segment must last at least 30 s, not 29 s"])
    }

    @Test func totalBetween30And120() throws {
        #expect(try check(v2([("intro", 10), ("outro", 20)])).isValid)
        #expect(errorPaths(try check(v2([("intro", 10), ("outro", 19)]))) == ["segments"])
        #expect(try check(v2([("intro", 60), ("outro", 60)])).isValid)
    }

    @Test func malformedSegmentEntries() throws {
        let v = try check(with(v2([]), ["segments": [["name": "intro"], "verse", ["name": "chorus", "duration": 30, "bpm": 90]]]))
        #expect(errorPaths(v) == ["segments[0].duration", "segments[1]"])
        #expect(v.issues.contains { $0.path == "segments[2].bpm" && $0.severity == .warning })
        #expect(try check(with(v2([]), ["segments": []])).errors.map(\.path) == ["segments"])
    }

    @Test func expectedStructureIsTheCumulativeSegmentEnds() throws {
        let v = try check(v2([("intro", 15), ("verse", 30), ("chorus", 45), ("outro", 10)]))
        let structure = try #require(v.request?.expectedStructure)
        #expect(structure.duration == 100)
        #expect(structure.boundaries == [15, 45, 90])
        #expect(structure.sections.map(\.name) == ["intro", "verse", "chorus", "outro"])
        #expect(structure.sections.map(\.start) == [0, 15, 45, 90])
    }
}

@Suite struct LongReportTests {
    /// A generated request with thousands of bad values gets the first 100
    /// issues and a count of the rest; a rule broken only among the unlisted
    /// still makes the request invalid.
    @Test func issuesBeyondAHundredAreCounted() throws {
        var object: [String: Any] = ["type": "bgm", "description": "d", "duration": 30]
        for i in 0..<150 { object["k\(i)"] = 1 }
        let warnings = try check(object)
        #expect(warnings.isValid)
        #expect(warnings.issues.count == 101)
        #expect(warnings.issues.last?.message == "50 more problems (0 errors) are not listed; the first 100 are")
        #expect(warnings.issues.last?.severity == .warning)
        object["genre"] = Array(repeating: "nope", count: 200)
        let mixed = try check(object)
        #expect(!mixed.isValid)
        #expect(mixed.issues.count == 101)
        #expect(mixed.issues.last?.severity == .error)
        #expect(mixed.issues.last?.message.hasSuffix("(150 errors) are not listed; the first 100 are") == true)
    }
}
