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
        #expect(errors[0] == "trackgate: \(broken): unexpected end of file at line 1, column 16: the object opened at "
            + "line 1, column 1 is not closed (is the file cut short?)")
        #expect(errors[1] == "trackgate: \(dir.file("missing.json")): no such file")
    }

    /// Every kind of unreadable JSON, as `validate --json` reports it: a message
    /// with the place, said once, and `error_kind` for scripts.
    @Test func jsonErrorsCarryTheirKindAndPlace() throws {
        let dir = try TemporaryDirectory()
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = dir.file(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        let cases: [(String, [UInt8], String, String)] = [
            ("empty.json", [], "not_json", "empty file (0 bytes): no JSON in it"),
            ("latin1.json", Array("{\"description\": \"caf".utf8) + [0xE9, 0x22, 0x7D], "encoding",
             "invalid UTF-8 byte 0xE9 at byte offset 20, line 1, column 21"),
            ("deep.json", Array(String(repeating: "[", count: 100_000).utf8), "too_deep",
             "nesting deeper than 64 levels at line 1, column 65"),
            ("range.json", Array("{\"duration\": 1e400}".utf8), "number_range", "number 1e400 at line 1, column 14 is out of range"),
            ("huge.json", Array("{\"genre\": [".utf8) + Array(repeating: 0x31, count: 1 << 20) + Array("]}".utf8), "too_large",
             "too large for a request or task answer (over 1 MiB"),
            ("utf32.json", [0xFF, 0xFE, 0, 0, 0x7B, 0, 0, 0, 0x7D, 0, 0, 0], "encoding", "UTF-32 text"),
        ]
        let paths = try cases.map { try file($0.0, $0.1) }
        let result = try CLI.run(["validate", "--json"] + paths + [dir.file("missing.json")])
        #expect(result.status == 2)
        let objects = try CLI.jsonLines(result.stdout)
        #expect(objects.count == cases.count + 1)
        for (object, expected) in zip(objects, cases) {
            #expect(object["error_kind"] as? String == expected.2, "\(expected.0)")
            let message = try #require(object["error"] as? String)
            #expect(message.hasPrefix(expected.3), "\(expected.0): \(message)")
            #expect(!message.contains("not valid JSON"))
        }
        #expect(objects.last?["error_kind"] as? String == "missing")
        // Without --json: each message once, on standard error, with its file name once.
        let text = try CLI.run(["validate"] + paths)
        #expect(text.status == 2 && text.stdout.isEmpty)
        let errors = text.stderr.split(separator: "\n")
        #expect(errors.count == cases.count)
        for (line, path) in zip(errors, paths) {
            #expect(line.hasPrefix("trackgate: \(path): "))
            #expect(line.components(separatedBy: path).count == 2)
        }
    }

    @Test func duplicateKeysAndUTF16AreWarningsNotErrors() throws {
        let dir = try TemporaryDirectory()
        let duplicate = dir.file("dup.json")
        try Data("{\"type\": \"bgm\", \"description\": \"d\",\n \"duration\": 30,\n \"duration\": 45}".utf8)
            .write(to: URL(fileURLWithPath: duplicate))
        let utf16 = dir.file("utf16.json")
        try Data([0xFF, 0xFE] + "{\"type\": \"bgm\", \"description\": \"d\", \"duration\": 30}".utf16.flatMap {
            [UInt8($0 & 0xFF), UInt8($0 >> 8)]
        }).write(to: URL(fileURLWithPath: utf16))
        let result = try CLI.run("validate", duplicate, utf16)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("dup.json: valid BGM v1.0 request, 45 s"))
        #expect(result.stdout.contains("warning duration: the key \"duration\" appears twice in one object (at line 2, column 2 "
            + "and line 3, column 2): the last value is used"))
        #expect(result.stdout.contains("utf16.json: valid BGM v1.0 request, 30 s"))
        #expect(result.stdout.contains("the file is UTF-16 (little-endian) text"))
    }

    /// Text from a request reaches the terminal shown, not obeyed: a genre that
    /// clears the screen, rings the bell and reverses text, and a file name with
    /// an escape in it.
    @Test func controlCharactersAreEscapedInHumanOutput() throws {
        let dir = try TemporaryDirectory()
        let request = dir.file("r.json")
        try Data(#"{"type": "bgm", "description": "d", "duration": 30, "genre": ["\u001b[2J\u001b]0;pwned\u0007\u202erock\r"]}"#.utf8)
            .write(to: URL(fileURLWithPath: request))
        let result = try CLI.run("validate", request)
        #expect(result.status == 1)
        #expect(!result.stdout.unicodeScalars.contains { [0x1B, 0x07, 0x0D, 0x202E].contains($0.value) })
        #expect(result.stdout.contains(#"genre[0]: "\e[2J\e]0;pwned\a\u{202E}rock\r" is not an accepted value"#), "\(result.stdout)")
        let strange = dir.file("a\u{1B}[31mred.json")
        let missing = try CLI.run("validate", strange)
        #expect(missing.status == 2)
        #expect(missing.stderr == "trackgate: \(dir.path)/a\\e[31mred.json: no such file\n")
        // A line break from outside cannot fake a line of the report.
        let broken = dir.file("two\nlines.json")
        try Data("{".utf8).write(to: URL(fileURLWithPath: broken))
        let faked = try CLI.run("validate", broken)
        #expect(faked.stderr.split(separator: "\n").count == 1)
        #expect(faked.stderr.hasPrefix("trackgate: \(dir.path)/two\\nlines.json: unexpected end of file"))
        // JSON output carries the text as it is, escaped by the JSON encoder.
        let json = try CLI.run("validate", "--json", request)
        #expect(json.stdout.contains(#"\u001b[2J"#))
    }
}
