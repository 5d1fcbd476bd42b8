import Foundation
import Testing
import TrackGateTestSupport

@Suite struct ValidateCommandTests {
    @Test func validSamplesExitZero() throws {
        let folder = "\(CLI.repository)/samples/requests"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        let result = try ExternalTool.run(CLI.executable, ["validate"] + files.map { "\(folder)/\($0)" })
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.split(separator: "\n").count == files.count)
        #expect(result.stdout.contains("bgm-v2-segments.json: valid BGM v2.0 request, 100 s: intro 0-15 s, verse 15-45 s, chorus 45-90 s, outro 90-100 s"))
        #expect(result.stdout.contains("task-succeeded.json: valid task answer"))
    }

    @Test func theReferenceCurlExampleIsInvalid() throws {
        let result = try CLI.run("validate", CLI.sample("requests/invalid/vocal-curl.json"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("INVALID vocal request (1 error)"))
        #expect(result.stdout.contains("error   lyrics: is 145 characters long; it must be 300 to 2000 characters"))
    }

    @Test func jsonCarriesPathsAllowedValuesAndStructure() throws {
        let result = try CLI.run("validate", "--json", CLI.sample("requests/invalid/bgm-v1-request-body.json"),
                                 CLI.sample("requests/bgm-v2-curl.json"))
        #expect(result.status == 1)
        let objects = try CLI.jsonLines(result.stdout)
        #expect(objects[0]["valid"] as? Bool == false)
        #expect(objects[0]["kind"] as? String == "bgm_v1")
        let issue = try #require((objects[0]["issues"] as? [[String: Any]])?.first)
        #expect(issue["path"] as? String == "theme[0]")
        #expect(issue["severity"] as? String == "error")
        #expect((issue["allowed"] as? [String])?.contains("motivational") == true)
        let expected = try #require(objects[1]["expected"] as? [String: Any])
        #expect(expected["duration_s"] as? Double == 90)
        #expect(expected["boundaries_s"] as? [Double] == [20, 45, 75])
    }

    @Test func unreadableInputsExitTwoAndOutrankInvalidOnes() throws {
        let dir = try TemporaryDirectory()
        let broken = dir.file("broken.json")
        try Data("{\"type\": \"bgm\",".utf8).write(to: URL(fileURLWithPath: broken))
        let result = try CLI.run("validate", CLI.sample("requests/invalid/vocal-curl.json"), broken, dir.file("missing.json"))
        #expect(result.status == 2)
        let errors = result.stderr.split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors[0].hasPrefix("trackgate: \(broken): not valid JSON"))
        #expect(errors[1] == "trackgate: \(dir.file("missing.json")): no such file")
    }
}
