import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// What users type and expect: negative numbers as values, one track id rule
/// across commands, settings that reach every output, and a `check` that writes
/// nothing unless asked.
@Suite struct SettingsReachOutputsTests {
    /// The battle-loop sample under a name with a dot inside it.
    func dottedTrack(in dir: TemporaryDirectory) throws -> (audio: String, request: String) {
        let audio = dir.file("take.1.flac"), request = dir.file("take.1.request.json")
        try FileManager.default.copyItem(atPath: CLI.sample("tracks/battle-loop.flac"), toPath: audio)
        try FileManager.default.copyItem(atPath: CLI.sample("tracks/battle-loop.request.json"), toPath: request)
        return (audio, request)
    }

    /// `--target-lufs -16 --true-peak-dbtp -2`, as typed: the delivery lands on
    /// -16 LUFS under -2 dBTP, as ffmpeg's ebur128 filter measures it.
    @Test func negativeNumbersAreValues() throws {
        let dir = try TemporaryDirectory()
        let track = try dottedTrack(in: dir)
        let out = dir.file("out")
        let result = try CLI.run("process", track.audio, "--request", track.request, "--out", out,
                                 "--target-lufs", "-16", "--true-peak-dbtp", "-2", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let measured = try #require(try ExternalTool.ffmpegLoudness("\(out)/take.1.wav"))
        #expect(abs(measured.integrated - -16) <= 0.1, "ffmpeg reads \(measured.integrated) LUFS")
        #expect(measured.truePeak <= -2 + 0.05, "ffmpeg reads \(measured.truePeak) dBTP")

        let batch = try CLI.run("batch", dir.path, "--check-only", "--target-lufs", "-18", "--true-peak-dbtp", "-1.5",
                                "--jobs", "1", "--quiet")
        #expect(batch.status == 0, "\(batch.stderr)")
        // A value out of range is named as such, not as a missing value.
        let low = try CLI.run("process", track.audio, "--request", track.request, "--out", out, "--target-lufs", "-90")
        #expect(low.status == 64 && low.stderr.contains("--target-lufs -90.0 is outside -70 to -1 LUFS"), "\(low.stderr)")
        let rate = try CLI.run("process", track.audio, "--request", track.request, "--out", out, "--sample-rate", "-1")
        #expect(rate.status == 64 && rate.stderr.contains("--sample-rate -1 is outside"), "\(rate.stderr)")
    }

    /// `take.1.flac` is the track `take.1` for check, process and batch alike.
    @Test func oneTrackIDRule() throws {
        let dir = try TemporaryDirectory()
        let track = try dottedTrack(in: dir)
        let checked = try CLI.jsonLines(try CLI.run("check", "--json", track.audio, "--request", track.request).stdout)
        #expect(checked.first?["id"] as? String == "take.1")
        let out = dir.file("processed")
        let processed = try CLI.run("process", track.audio, "--request", track.request, "--out", out, "--json")
        #expect(try CLI.jsonLines(processed.stdout).first?["id"] as? String == "take.1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["take.1.json", "take.1.svg", "take.1.wav"])
        let batch = try CLI.run("batch", dir.path, "--check-only", "--json", "--quiet")
        #expect(try CLI.jsonLines(batch.stdout).map { $0["id"] as? String } == ["take.1"])
    }

    /// `batch --check-only --target-lufs -16` draws the -16 LUFS target, not the default.
    @Test func picturesDrawTheTargetAsked() throws {
        let dir = try TemporaryDirectory()
        _ = try dottedTrack(in: dir)
        let out = dir.file("out")
        let result = try CLI.run("batch", dir.path, "--check-only", "--out", out, "--target-lufs", "-16", "--quiet")
        #expect(result.status == 0, "\(result.stderr)")
        let svg = try String(contentsOfFile: "\(out)/take.1.svg", encoding: .utf8)
        #expect(svg.contains("target -16 LUFS") && !svg.contains("target -14 LUFS"))
        // A new target is a new picture: the track is redone, not reported as current.
        let again = try CLI.run("batch", dir.path, "--check-only", "--out", out, "--target-lufs", "-20", "--json", "--quiet")
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: "\(out)/take.1.svg", encoding: .utf8).contains("target -20 LUFS"))
    }

    /// `check` in a folder it must not litter: no picture unless --plot-dir.
    @Test func checkWritesNothingUnlessAsked() throws {
        let dir = try TemporaryDirectory()
        let track = try dottedTrack(in: dir)
        let workspace = try TemporaryDirectory()
        let plain = try ExternalTool.run(CLI.executable, ["check", track.audio, "--request", track.request], in: workspace.path)
        #expect(plain.status == 0, "\(plain.stderr)")
        let written = try workspace.contents()
        #expect(written.isEmpty, "check wrote \(written)")
        let plots = dir.file("plots")
        let drawn = try ExternalTool.run(CLI.executable, ["check", track.audio, "--request", track.request, "--plot-dir", plots],
                                         in: workspace.path)
        #expect(drawn.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: plots) == ["take.1.svg"])
    }
}
