import Foundation
import RequestModel
import Testing

/// A request that breaks the reference's rules still made a track: `readable`
/// keeps everything it says, while `request` (the strict answer) stays nil.
@Suite struct ReadableRequestTests {
    func sample(_ name: String) throws -> RequestValidation {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/requests/invalid/\(name)")
        return try RequestValidator().validate(data: Data(contentsOf: url))
    }

    /// The reference's own v1.0 body (theme "business" is a genre): 45 s as asked.
    @Test func theReferencesV1BodyIsReadAsItsDurationAndTags() throws {
        let v = try sample("bgm-v1-request-body.json")
        #expect(v.request == nil && v.errors.count == 1)
        guard case .nuro(.bgmV1(let r))? = v.readable else { Issue.record("not read: \(String(describing: v.readable))"); return }
        #expect(r.duration == 45 && r.theme.contains("business") && r.genre == ["corporate", "upbeat"])
    }

    /// The reference's vocal example: 145-character lyrics; the service generated
    /// a 199 s song for its 180 s.
    @Test func shortLyricsAreKept() throws {
        let v = try sample("vocal-curl.json")
        #expect(v.request == nil)
        #expect(v.errors.map(\.path) == ["lyrics"])
        guard case .nuro(.vocal(let r))? = v.readable else { Issue.record("not read"); return }
        #expect(r.duration == 180 && r.timbre == "Sweet_AUDIO_TIMBRE" && r.lyrics.unicodeScalars.count == 145)
        #expect(v.readable?.expectedStructure.duration == 180)
    }

    /// Genre, mood, gender and timbre, which one vendor page marks optional: absent, still read.
    @Test func vocalWithoutDescriptiveFields() throws {
        var object = validVocal
        for key in ["genre", "mood", "gender", "timbre"] { object.removeValue(forKey: key) }
        let v = try check(object)
        #expect(v.request == nil && v.errors.count == 4)
        guard case .nuro(.vocal(let r))? = v.readable else { Issue.record("not read"); return }
        #expect(r.genre == nil && r.timbre == nil && r.duration == 120)
    }

    /// A plan whose segments add up to 20 s (under the 30 s minimum) is still a plan.
    @Test func segmentsUnderTheMinimumStillPlaceTheirBoundaries() throws {
        let v = try check(v2([("intro", 10), ("pre-chorus", 6), ("outro", 4)]))
        #expect(v.request == nil)
        let expected = try #require(v.readable?.expectedStructure)
        #expect(expected.duration == 20 && expected.boundaries == [10, 16])
        #expect(expected.sections.map(\.name) == ["intro", "pre-chorus", "outro"])
        #expect(errorPaths(v) == ["segments[1].name", "segments[2].duration"])
    }

    /// Lengths as people write them: "120" in quotes, 120.5, a duration out of range.
    @Test func lengthsAreTakenAtTheirWord() throws {
        var object = validV1
        object["duration"] = "90"
        #expect(try check(object).readable?.expectedStructure.duration == 90)
        object["duration"] = 30.4
        #expect(try check(object).readable?.expectedStructure.duration == 30)
        object["duration"] = 600
        let v = try check(object)
        #expect(v.request == nil && v.readable?.expectedStructure.duration == 600)
    }

    /// A plan without "version": "v2.0" is reported and read as a plan.
    @Test func aPlanWithoutItsVersion() throws {
        var object = v2([("intro", 15), ("chorus", 30)])
        object.removeValue(forKey: "version")
        let v = try check(object)
        #expect(v.errors.contains { $0.message.contains("segments are a v2.0 feature") })
        #expect(v.readable?.expectedStructure.boundaries == [15])
    }

    /// A warning inside a segment (an unknown field) leaves the plan's own rules in force.
    @Test func aSegmentWarningKeepsThePlanRules() throws {
        let v = try check(["type": "bgm", "version": "v2.0", "description": "x",
                           "segments": [["name": "intro", "duration": 10, "note": "soft"]]])
        #expect(v.request == nil && v.errors.map(\.path) == ["segments[0].duration"], "\(v.issues)")
    }

    /// No kind, or one off the list, with a duration: still a length to judge against.
    @Test func aDurationWithoutAKindIsRead() throws {
        #expect(try check(["duration": 90]).readable?.expectedStructure.duration == 90)
        #expect(try check(["type": "song", "duration": 90]).readable?.expectedStructure.duration == 90)
    }

    /// Nothing to judge a track against: no readable request.
    @Test func noExpectationNoReading() throws {
        #expect(try check(["type": "bgm", "description": "no length"]).readable == nil)
        #expect(try check(["type": "vocal", "lyrics": lyrics(400), "duration": "long"]).readable == nil)
        #expect(try check(["hello": "world"]).readable == nil)
        #expect(try check(v2([("intro", 10), ("verse", "x")])).readable == nil)
    }

    /// Valid requests read exactly as before.
    @Test func validRequestsAreTheirOwnReading() throws {
        for object in [validVocal, validV1, v2([("intro", 15), ("verse", 30), ("chorus", 45), ("outro", 10)])] {
            let v = try check(object)
            #expect(v.request != nil && v.readable == v.request)
        }
    }
}
