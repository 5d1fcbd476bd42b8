import Foundation
import Testing
import TrackGateTestSupport

/// The Sonic and Producer samples as a user runs them: validated, checked and
/// processed, the Producer clip decoded from AAC in M4A through FFmpeg.
@Suite struct SuccessorSamplesTests {
    static let producerClip = "tracks/ac78601b-3f2e-4c1d-8b9a-6e5d4c3b2a10.m4a"
    static let sonicClip = "tracks/0b7f1c52-5d1e-4a6f-9a7e-2f0c4d1e6a02.mp3"

    @Test func validateTellsTheKinds() throws {
        let files = ["neon-city.request.json", "neon-city.task.json", "rainy-desk.request.json", "rainy-desk.task.json"]
        let result = try CLI.run(["validate", "--json"] + files.map { CLI.sample("tracks/\($0)") })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = try CLI.jsonLines(result.stdout)
        #expect(lines.map { $0["kind"] as? String } == ["sonic", "sonic_task", "producer", "producer_task"])
        let expected = try #require(lines[0]["expected"] as? [String: Any])
        #expect(expected["duration_s"] is NSNull && expected["longest_duration_s"] as? Double == 240)
        #expect(expected["lyric_sections"] as? [String] == ["Intro", "Verse", "Chorus", "Outro"])
    }

    @Test func theSonicClipIsCheckedAgainstItsAnswerEntry() throws {
        let result = try CLI.run("check", CLI.sample(Self.sonicClip), "--request", CLI.sample("tracks/neon-city.request.json"),
                                 "--task", CLI.sample("tracks/neon-city.task.json"), "--json")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try CLI.jsonLines(result.stdout).first)
        #expect(report["service"] as? String == "Sonic" && report["requested_duration_s"] is NSNull)
        let checks = try #require(report["checks"] as? [[String: Any]])
        let task = try #require(checks.first { $0["id"] as? String == "task_duration" })
        // The answer writes this clip's duration as the string "22.50".
        #expect(task["status"] as? String == "pass" && (task["message"] as? String)?.contains("reports 22.50 s") == true)
    }

    /// The M4A through the whole job: the delivery on target under the ceiling,
    /// its tags naming the service and the clip.
    @Test func theProducerClipIsProcessed() throws {
        let dir = try TemporaryDirectory()
        let result = try CLI.run("process", CLI.sample(Self.producerClip), "--request", CLI.sample("tracks/rainy-desk.request.json"),
                                 "--task", CLI.sample("tracks/rainy-desk.task.json"), "--out", dir.path, "--json")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try CLI.jsonLines(result.stdout).first)
        #expect(report["verdict"] as? String == "pass")  // no duration in the answer: Producer documents it as optional
        #expect(report["instrumental"] as? String == "the style text says \"no vocals\"")
        let output = try #require(report["output"] as? [String: Any])
        let loudness = try #require(output["loudness"] as? [String: Any])
        #expect(abs((loudness["integrated_lufs"] as? Double ?? 0) + 14) <= 0.1)
        #expect((loudness["true_peak_dbtp"] as? Double ?? 0) <= -1)
        let delivery = dir.file("ac78601b-3f2e-4c1d-8b9a-6e5d4c3b2a10.wav")
        let tags = try ExternalTool.ffprobeTags(delivery)
        #expect(tags["title"] == "Rainy Desk")
        // ffprobe shows a WAV's bext description as its comment; the reference is the clip id (32 characters kept).
        #expect(tags["comment"] == "Producer track: Rainy Desk", "\(tags)")
        #expect(tags["originator_reference"] == "ac78601b-3f2e-4c1d-8b9a-6e5d4c3b")
        #expect(tags["coding_history"]?.hasPrefix("A=AAC,F=48000,M=stereo,T=Producer") == true)
        // --clip without an answer to name a clip of is a usage error.
        let usage = try CLI.run("check", CLI.sample(Self.producerClip), "--request", CLI.sample("tracks/rainy-desk.request.json"),
                                "--clip", "x")
        #expect(usage.status == 64 && usage.stderr.contains("give the answer with --task"))
        // The source as ffmpeg measures it, against the report's own measurement of it.
        let source = try #require(try ExternalTool.ffmpegLoudness(CLI.sample(Self.producerClip)))
        let measured = try #require(report["loudness"] as? [String: Any])
        #expect(abs((measured["integrated_lufs"] as? Double ?? 0) - source.integrated) <= 0.1)
    }

    /// The samples folder as a batch: every clip paired with its task.
    @Test func theSamplesFolderPairsEveryClip() throws {
        let result = try CLI.run("batch", CLI.sample("tracks"), "--check-only", "--json")
        let lines = try CLI.jsonLines(result.stdout)
        let ids = Set(lines.compactMap { $0["id"] as? String })
        #expect(ids.isSuperset(of: ["0b7f1c52-5d1e-4a6f-9a7e-2f0c4d1e6a01", "0b7f1c52-5d1e-4a6f-9a7e-2f0c4d1e6a02",
                                    "ac78601b-3f2e-4c1d-8b9a-6e5d4c3b2a10"]))
        #expect(!lines.contains { $0["verdict"] as? String == "error" }, "\(result.stdout)")
    }
}
