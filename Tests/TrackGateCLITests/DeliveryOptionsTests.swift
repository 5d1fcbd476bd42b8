import Foundation
import Testing
import TrackGateTestSupport

/// The delivery options as a user types them: presets set what the README
/// says and give way to explicit figures, lossy formats report their bit rate
/// and headroom, `--tags-only` and `--skip-if-within` copy the audio bytes
/// unchanged, and options that cannot apply are usage errors (64).
@Suite struct DeliveryOptionsTests {
    let battle = (audio: CLI.sample("tracks/battle-loop.flac"), request: CLI.sample("tracks/battle-loop.request.json"))

    func process(_ extra: [String], in dir: TemporaryDirectory) throws -> (status: Int32, output: [String: Any], stderr: String) {
        let result = try CLI.run(["process", battle.audio, "--request", battle.request, "--out", dir.path, "--json", "--no-plots"] + extra)
        let report = try CLI.jsonLines(result.stdout).first ?? [:]
        return (result.status, report["output"] as? [String: Any] ?? [:], result.stderr)
    }

    /// The README's preset table: target LUFS and ceiling dBTP.
    static let presets: [(String, Double, Double)] = [
        ("spotify", -14, -1), ("apple", -16, -1), ("youtube", -14, -1), ("ebu-r128", -23, -1), ("atsc-a85", -24, -2),
        ("podcast", -16, -1),
    ]

    @Test(arguments: presets)
    func presetSetsTargetAndCeiling(_ name: String, _ target: Double, _ ceiling: Double) throws {
        let dir = try TemporaryDirectory()
        let run = try process(["--preset", name], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.output["target_lufs"] as? Double == target && run.output["ceiling_dbtp"] as? Double == ceiling)
        let integrated = (run.output["loudness"] as? [String: Any])?["integrated_lufs"] as? Double ?? 0
        #expect(abs(integrated - target) <= 0.1)
    }

    @Test func explicitFiguresOverrideThePreset() throws {
        let dir = try TemporaryDirectory()
        let run = try process(["--preset", "atsc-a85", "--target-lufs", "-20"], in: dir)
        #expect(run.output["target_lufs"] as? Double == -20 && run.output["ceiling_dbtp"] as? Double == -2)
    }

    @Test func mp3ReportsItsBitRateHeadroomAndTags() throws {
        let dir = try TemporaryDirectory()
        let run = try process(["--format", "mp3", "--bitrate", "192"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.output["format"] as? String == "mp3" && run.output["bitrate_kbps"] as? Int == 192)
        #expect(run.output["bit_depth"] is NSNull)
        #expect(run.output["encoded_headroom_db"] as? Double != nil)
        let tags = try #require(run.output["gain_tags"] as? [String: String])
        #expect(tags["REPLAYGAIN_TRACK_GAIN"]?.hasSuffix(" dB") == true && tags["REPLAYGAIN_TRACK_PEAK"] != nil)
        #expect(try ExternalTool.ffprobeStream(dir.file("battle-loop.mp3"), "bit_rate") == "192000")
    }

    @Test func tagsOnlyCopiesTheAudioBytes() throws {
        let dir = try TemporaryDirectory()
        let run = try process(["--tags-only", "--gain-tags", "replaygain"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let copy = dir.file("battle-loop.flac")
        #expect(run.output["audio"] as? String == copy && run.output["gain_db"] as? Double == 0)
        // FLAC frames carry their own CRCs; the decoded samples of copy and source are the same.
        let a = try ExternalTool.run("sh", ["-c", "ffmpeg -v error -i \"$0\" -f s24le - | md5sum", battle.audio])
        let b = try ExternalTool.run("sh", ["-c", "ffmpeg -v error -i \"$0\" -f s24le - | md5sum", copy])
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
        let tags = try ExternalTool.ffprobeTags(copy)
        let integrated = try #require((run.output["loudness"] as? [String: Any])?["integrated_lufs"] as? Double)
        #expect(tags["replaygain_track_gain"] == String(format: "%.2f dB", -18 - integrated), "\(tags)")
    }

    @Test func skipIfWithinCopiesATrackAlreadyOnTarget() throws {
        let dir = try TemporaryDirectory()
        let first = try process(["--format", "flac", "--bit-depth", "24"], in: dir)
        #expect(first.status == 0)
        let delivered = dir.file("battle-loop.flac")
        let again = try TemporaryDirectory()
        let result = try CLI.run(["process", delivered, "--request", battle.request, "--out", again.path, "--json", "--no-plots",
                                  "--format", "flac", "--bit-depth", "24", "--skip-if-within", "0.5"])
        let output = try #require(try CLI.jsonLines(result.stdout).first?["output"] as? [String: Any])
        #expect((output["notes"] as? [String])?.contains { $0.contains("copied unchanged") } == true, "\(output)")
        let a = try ExternalTool.run("sh", ["-c", "ffmpeg -v error -i \"$0\" -f s24le - | md5sum", delivered])
        let b = try ExternalTool.run("sh", ["-c", "ffmpeg -v error -i \"$0\" -f s24le - | md5sum", again.file("battle-loop.flac")])
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
    }

    @Test(arguments: [
        (["--format", "mp3", "--bit-depth", "16"], "--bit-depth is for wav and flac"),
        (["--format", "wav", "--bitrate", "128"], "--bitrate is for mp3 and opus"),
        (["--format", "mp3", "--bitrate", "100"], "not an MP3 bit rate"),
        (["--format", "opus", "--sample-rate", "44100"], "not --sample-rate 44100"),
        (["--format", "opus", "--gain-tags", "replaygain"], "RFC 7845"),
        (["--gain-tags", "replaygain"], "WAV has no standard place"),
        (["--tags-only", "--format", "flac"], "--tags-only keeps the source's audio"),
        (["--preset", "radio"], "preset"),
    ])
    func usageErrors(_ options: [String], _ words: String) throws {
        let dir = try TemporaryDirectory()
        let run = try process(options, in: dir)
        #expect(run.status == 64 && run.stderr.contains(words), "\(options): \(run.status) \(run.stderr)")
    }
}
