import RequestModel
import Testing

@Suite struct VocalRuleTests {
    @Test func aCompleteRequestIsValid() throws {
        let v = try check(validVocal)
        #expect(v.isValid && v.issues.isEmpty)
        #expect(v.request?.expectedStructure == ExpectedStructure(duration: 120, sections: []))
    }

    @Test(arguments: [(299, false), (300, true), (2000, true), (2001, false)])
    func lyricsLength(_ count: Int, _ ok: Bool) throws {
        let v = try check(with(validVocal, ["lyrics": lyrics(count)]))
        #expect(v.isValid == ok)
        if !ok { #expect(v.errors.first?.message == "is \(count) characters long; it must be 300 to 2000 characters") }
    }

    /// Chinese lyrics are supported: a character is a code point, not a UTF-8 byte.
    @Test func lyricsCountCodePoints() throws {
        #expect(try check(with(validVocal, ["lyrics": lyrics(300, unit: "歌")])).isValid)
        #expect(try check(with(validVocal, ["lyrics": lyrics(299, unit: "歌")])).isValid == false)
    }

    @Test(arguments: [(29, false), (30, true), (240, true), (241, false)])
    func durationRange(_ seconds: Int, _ ok: Bool) throws {
        #expect(try check(with(validVocal, ["duration": seconds])).isValid == ok)
    }

    @Test func durationMustBeAWholeNumber() throws {
        #expect(try check(with(validVocal, ["duration": 120.0])).isValid)
        let fraction = try check(with(validVocal, ["duration": 120.5]))
        #expect(fraction.errors.map(\.message) == ["must be a whole number of seconds, not 120.5"])
        let quoted = try check(with(validVocal, ["duration": "120"]))
        #expect(quoted.errors.first?.message == "expected a whole number of seconds, found a string (write it without quotes)")
    }

    @Test(arguments: ["genre", "mood", "timbre", "gender"])
    func listFieldsNeedExactSpelling(_ field: String) throws {
        let good = validVocal[field] as! String
        let v = try check(with(validVocal, [field: good.lowercased()]))
        #expect(errorPaths(v) == [field])
        #expect(v.errors[0].message.contains("did you mean \"\(good)\"?"))
        #expect(v.errors[0].allowed?.contains(good) == true)
    }

    @Test func everyListValueOfTheReferenceIsAccepted() throws {
        for genre in NuroVocabulary.vocalGenres { #expect(try check(with(validVocal, ["genre": genre])).isValid, "\(genre)") }
        for mood in NuroVocabulary.vocalMoods { #expect(try check(with(validVocal, ["mood": mood])).isValid, "\(mood)") }
        for timbre in NuroVocabulary.vocalTimbres { #expect(try check(with(validVocal, ["timbre": timbre])).isValid, "\(timbre)") }
        #expect(NuroVocabulary.vocalGenres.count == 23)
        #expect(NuroVocabulary.vocalMoods.count == 13)
        #expect(NuroVocabulary.vocalTimbres.count == 9)
    }

    @Test func genderIsFemaleOrMaleOnly() throws {
        let v = try check(with(validVocal, ["gender": "Other"]))
        #expect(errorPaths(v) == ["gender"])
        #expect(v.errors[0].allowed == ["Female", "Male"])
    }

    @Test func everyMissingFieldIsReportedAtOnce() throws {
        let v = try check(["type": "vocal"])
        #expect(Set(errorPaths(v)) == ["lyrics", "genre", "mood", "gender", "timbre", "duration"])
        #expect(v.errors.allSatisfy { $0.message == "required field is missing" })
    }

    @Test func unknownFieldsWarnButDoNotInvalidate() throws {
        let v = try check(with(validVocal, ["version": "v2.0", "tempo": 120]))
        #expect(v.isValid)
        #expect(v.issues.map(\.path) == ["tempo", "version"])
        #expect(v.issues.allSatisfy { $0.severity == .warning })
    }
}

@Suite struct RequestShapeTests {
    @Test func theRootMustBeAnObject() throws {
        let v = try RequestValidator().validate(data: Data("[1, 2]".utf8))
        #expect(v.errors.map(\.message) == ["a request must be a JSON object, found a list"])
    }

    @Test func typeIsRequiredAndChecked() throws {
        #expect(errorPaths(try check(["duration": 30])) == ["type"])
        let v = try check(["type": "song"])
        #expect(errorPaths(v) == ["type"] && v.errors[0].allowed == ["vocal", "bgm"])
    }

    @Test func unknownVersion() throws {
        let v = try check(with(validV1, ["version": "v3.0"]))
        #expect(errorPaths(v) == ["version"] && v.errors[0].allowed == ["v1.0", "v2.0"])
    }

    @Test func notJSONThrows() {
        #expect(throws: JSONReadError.self) { try RequestValidator().validate(data: Data("{\"type\": ".utf8)) }
        #expect(throws: JSONReadError.self) { try RequestValidator().validate(data: Data("<html></html>".utf8)) }
    }
}

import Foundation
