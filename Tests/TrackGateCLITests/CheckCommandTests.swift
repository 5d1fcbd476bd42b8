import Foundation
import Testing
import TrackGateTestSupport

@Suite struct CheckCommandTests {
    func sample(_ name: String) -> (audio: String, request: String, task: String) {
        (CLI.sample("tracks/\(name).flac"), CLI.sample("tracks/\(name).request.json"), CLI.sample("tracks/\(name).task.json"))
    }

    @Test func theSamplesPass() throws {
        let s = sample("trailer-structured")
        let result = try CLI.run("check", s.audio, "--request", s.request, "--task", s.task)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(s.audio): PASS"))
        #expect(result.stdout.contains("boundary   20.0 s: confirmed"))
    }

    /// The report's keys and check ids are the contract's.
    @Test func jsonReportFollowsTheContract() throws {
        let s = sample("trailer-structured")
        let result = try CLI.run("check", "--json", s.audio, "--request", s.request, "--task", s.task)
        let report = try #require(try CLI.jsonLines(result.stdout).first)
        for key in ["id", "file", "verdict", "duration_s", "requested_duration_s", "loudness", "checks", "boundaries", "output"] {
            #expect(report.keys.contains(key), "missing \(key)")
        }
        #expect(report["id"] as? String == "trailer-structured")
        #expect(report["verdict"] as? String == "pass")
        #expect(report["output"] is NSNull)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let ids = Set(checks.compactMap { $0["id"] as? String })
        #expect(ids.isSuperset(of: ["request", "duration", "boundaries", "leading_silence", "trailing_silence", "dropout",
                                    "clipping", "truncated_ending", "dc_offset", "non_finite", "true_peak", "loudness",
                                    "task_duration"]))
        #expect(checks.allSatisfy { ["pass", "warn", "fail"].contains($0["status"] as? String ?? "") && $0["message"] is String })
        let boundaries = try #require(report["boundaries"] as? [[String: Any]])
        #expect(boundaries.map { $0["expected_s"] as? Double } == [20, 60])
        #expect(boundaries.allSatisfy { $0["detected_s"] is Double && $0["strength"] is Double && $0["status"] is String })
        let loudness = try #require(report["loudness"] as? [String: Any])
        #expect(loudness["integrated_lufs"] is Double)
        // The plan as a whole: confirmed, with its p-value and how many changes stand out.
        let plan = try #require(report["plan_alignment"] as? [String: Any])
        #expect(plan["status"] as? String == "confirmed" && (plan["p_value"] as? Double ?? 1) <= 0.05, "\(plan)")
        #expect(plan["boundaries"] as? Int == 2 && plan["boundaries_matched"] as? Int == 2)
        #expect(boundaries.allSatisfy { ($0["p_value"] as? Double ?? 1) <= 0.05 })
    }

    @Test func aFailingTrackExitsOne() throws {
        let dir = try TemporaryDirectory()
        let request = dir.file("r.json")
        // The sample is 35 s; this request asks for 60.
        try Data(#"{"type": "bgm", "duration": 60, "description": "long"}"#.utf8).write(to: URL(fileURLWithPath: request))
        let result = try CLI.run("check", CLI.sample("tracks/battle-loop.flac"), "--request", request)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL"))
        #expect(result.stdout.contains("fail  duration          35.00 s delivered for 60 s requested (-25.00 s, -41.7 %)"))
    }

    @Test func unreadableInputsExitTwoWithOneLine() throws {
        let dir = try TemporaryDirectory()
        let page = dir.file("song.wav")
        try CorruptFiles.htmlErrorPage.write(to: URL(fileURLWithPath: page))
        let result = try CLI.run("check", page, "--request", sample("battle-loop").request)
        #expect(result.status == 2)
        #expect(result.stderr == "trackgate: \(page): not audio: the file is an HTML page (a failed or redirected download?)\n")
        let json = try CLI.run("check", "--json", page, "--request", sample("battle-loop").request)
        let report = try #require(try CLI.jsonLines(json.stdout).first)
        #expect(report["verdict"] as? String == "error" && report["error"] is String)
    }

    @Test func strictAndPolicy() throws {
        let dir = try TemporaryDirectory()
        let request = dir.file("r.json"), policy = dir.file("p.json")
        // 35 s delivered for 32 requested: +9.4 %, and a policy that warns from 5 %.
        try Data(#"{"type": "bgm", "duration": 32, "description": "x"}"#.utf8).write(to: URL(fileURLWithPath: request))
        try Data(#"{"duration": {"warn": 0.05}}"#.utf8).write(to: URL(fileURLWithPath: policy))
        let audio = CLI.sample("tracks/battle-loop.flac")
        #expect(try CLI.run("check", audio, "--request", request).status == 0)
        let warned = try CLI.run("check", audio, "--request", request, "--policy", policy)
        #expect(warned.status == 0 && warned.stdout.contains(": WARN"))
        #expect(try CLI.run("check", audio, "--request", request, "--policy", policy, "--strict").status == 1)
        try Data("{\"nope\": 1}".utf8).write(to: URL(fileURLWithPath: policy))
        let bad = try CLI.run("check", audio, "--request", request, "--policy", policy)
        #expect(bad.status == 64 && bad.stderr.contains("unknown keys: nope"))
    }
}
