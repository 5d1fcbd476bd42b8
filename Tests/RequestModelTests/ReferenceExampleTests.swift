import Foundation
import RequestModel
import Testing

/// Every request example of the Nuro API reference, as kept in `samples/requests`.
@Suite struct ReferenceExampleTests {
    static func load(_ name: String) throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: samplesFolder.appendingPathComponent(name)))
    }

    static let validRequests: [(file: String, kind: TrackRequest.Kind, duration: Double, boundaries: [Double])] = [
        ("bgm-v1-curl.json", .bgmV1, 35, []),
        ("bgm-v1-quickstart.json", .bgmV1, 30, []),
        ("bgm-v1-workflow-example.json", .bgmV1, 45, []),
        ("bgm-v2-curl.json", .bgmV2, 90, [20, 45, 75]),
        ("bgm-v2-deprecation-plan.json", .bgmV2, 95, [10, 40, 80]),
        ("bgm-v2-migration-duration.json", .bgmV2, 60, []),
        ("bgm-v2-migration-segments.json", .bgmV2, 60, [15, 45]),
        ("bgm-v2-quickstart-segments.json", .bgmV2, 70, [20, 60]),
        ("bgm-v2-quickstart-simple.json", .bgmV2, 60, []),
        ("bgm-v2-segments.json", .bgmV2, 100, [15, 45, 90]),
        ("bgm-v2-simple.json", .bgmV2, 60, []),
        ("bgm-v2-workflow-example.json", .bgmV2, 100, [15, 40, 80, 90]),
        ("vocal-workflow-example.json", .vocal, 180, []),
    ]

    @Test(arguments: 0..<validRequests.count)
    func validExample(_ index: Int) throws {
        let example = Self.validRequests[index]
        let v = RequestValidator().validate(try Self.load(example.file))
        #expect(v.issues.isEmpty, "\(example.file): \(v.issues)")
        let structure = try #require(v.request?.expectedStructure)
        #expect(v.request?.kind == example.kind)
        #expect(structure.duration == example.duration)
        #expect(structure.boundaries == example.boundaries)
    }

    /// The reference's first curl example has 145 characters of lyrics; its
    /// request-body and quick-start examples are placeholders; its v1.0 body
    /// uses "business" as a theme.
    @Test(arguments: [
        ("invalid/vocal-curl.json", "lyrics", "is 145 characters long; it must be 300 to 2000 characters"),
        ("invalid/vocal-request-body.json", "lyrics", "is 52 characters long; it must be 300 to 2000 characters"),
        ("invalid/vocal-quickstart.json", "lyrics", "is 37 characters long; it must be 300 to 2000 characters"),
        ("invalid/bgm-v1-request-body.json", "theme[0]", "\"business\" is not an accepted value here; it is a BGM genre"),
    ])
    func invalidExample(_ file: String, _ path: String, _ message: String) throws {
        let v = RequestValidator().validate(try Self.load(file))
        #expect(!v.isValid)
        #expect(v.errors.map(\.path) == [path])
        #expect(v.errors.map(\.message) == [message])
    }

    @Test func everySampleFileIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: samplesFolder.path).filter { $0.hasSuffix(".json") }
        let requests = Set(files.filter { !$0.hasPrefix("task-") })
        #expect(requests == Set(Self.validRequests.map(\.file)))
        let invalid = try FileManager.default.contentsOfDirectory(atPath: samplesFolder.appendingPathComponent("invalid").path)
        #expect(invalid.count == 4)
    }

    @Test func taskAnswers() throws {
        let succeeded = TaskAnswer.validate(try Self.load("task-succeeded.json"))
        #expect(succeeded.issues.isEmpty)
        #expect(succeeded.answer?.duration == 199.04325)
        #expect(succeeded.answer?.status == .succeeded)
        let running = TaskAnswer.validate(try Self.load("task-running.json"))
        #expect(running.isValid && running.answer?.progress == 45)
    }

    @Test func brokenTaskAnswers() throws {
        let noURL = TaskAnswer.validate(.object(["task_id": .string("t"), "status": .string("succeeded"), "duration": .number(0)]))
        #expect(noURL.issues.map(\.path) == ["audio_url", "duration"])
        let badStatus = TaskAnswer.validate(.object(["task_id": .string("t"), "status": .string("done")]))
        #expect(badStatus.issues.map(\.path) == ["status"])
        #expect(badStatus.issues[0].allowed == ["pending", "running", "succeeded", "failed"])
        #expect(TaskAnswer.validate(.object([:])).issues.map(\.path) == ["task_id", "status"])
    }
}
