import RequestModel
import Testing

/// "Did you mean" for misspellings, not only for other case.
@Suite struct NearMissTests {
    func firstMessage(_ object: [String: Any]) throws -> String { try check(object).issues.first?.message ?? "" }

    @Test func valuesSpeltWithOtherPunctuationOrATypo() throws {
        #expect(try firstMessage(with(validSonic, ["mv": "sonic-v4.5"])).hasSuffix("did you mean \"sonic-v4-5\"?"))
        #expect(try firstMessage(with(validSonic, ["task_type": "create_musik"])).hasSuffix("did you mean \"create_music\"?"))
        #expect(try firstMessage(with(validVocal, ["genre": "Pop Rok"])).hasSuffix("did you mean \"Pop Rock\"?"))
        #expect(try firstMessage(with(validVocal, ["genre": "Hip Hop Rap"])).hasSuffix("did you mean \"Hip Hop/Rap\"?"))
        // Too short to guess from, or too far from any value: the list alone.
        #expect(try firstMessage(with(validSonic, ["vocal_gender": "x"])) == "\"x\" is not an accepted value")
        #expect(try firstMessage(with(validSonic, ["mv": "sonic-v9-9-9"])) == "\"sonic-v9-9-9\" is not an accepted value")
        // A tag from another BGM list is still named as such.
        #expect(try firstMessage(with(validV1, ["theme": ["business"]])) == "\"business\" is not an accepted value here; it is a BGM genre")
    }

    @Test func misspeltKeys() throws {
        let v = try check(with(validSonic, ["custom_mode": nil, "custom_mod": true]))
        let warning = try #require(v.issues.first { $0.path == "custom_mod" })
        #expect(warning.message == "not a field of Sonic requests; it will be ignored: did you mean \"custom_mode\"?")
        let far = try #require(try check(with(validProducer, ["model": "FUZZ-2.0"])).issues.first { $0.path == "model" })
        #expect(far.message == "not a field of Producer requests; it will be ignored")
    }
}
