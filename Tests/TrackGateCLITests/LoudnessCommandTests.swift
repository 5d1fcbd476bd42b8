import Foundation
import Testing
import TrackGateTestSupport

@Suite struct LoudnessCommandTests {
    static let contractKeys = ["file", "integrated_lufs", "loudness_range_lu", "max_momentary_lufs",
                               "max_short_term_lufs", "sample_peak_dbfs", "true_peak_dbtp"]

    @Test func tableForPeople() throws {
        let result = try CLI.run("loudness", CLI.sample("tracks/battle-loop.flac"), CLI.sample("tracks/trailer-structured.flac"))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].contains("integrated") && lines[0].contains("true pk"))
        #expect(lines[2].contains("battle-loop.flac") && lines[2].contains("-16.3"))
    }

    @Test func jsonLinesCarryTheContractKeys() throws {
        let result = try CLI.run("loudness", "--json", CLI.sample("tracks/city-lights-song.flac"))
        #expect(result.status == 0)
        let object = try #require(try CLI.jsonLines(result.stdout).first)
        for key in Self.contractKeys { #expect(object[key] != nil, "missing \(key)") }
        let integrated = try #require(object["integrated_lufs"] as? Double)
        let truePeak = try #require(object["true_peak_dbtp"] as? Double)
        let samplePeak = try #require(object["sample_peak_dbfs"] as? Double)
        #expect(integrated < -10 && integrated > -25)
        #expect(truePeak >= samplePeak)
    }

    @Test func shortAndSilentFilesShowDashesAndReasons() throws {
        let dir = try TemporaryDirectory()
        let silent = dir.file("silent.wav"), short = dir.file("short.wav")
        for (path, args) in [(silent, ["anullsrc=r=44100:cl=stereo", "-t", "2"]), (short, ["sine=frequency=440:duration=0.2"])] {
            let r = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"] + args + [path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let result = try CLI.run("loudness", silent, short)
        #expect(result.status == 0)
        #expect(result.stdout.contains("integrated_lufs: silent: no 400 ms block above -70 LUFS"))
        #expect(result.stdout.contains("integrated_lufs: shorter than one 400 ms block"))
        #expect(result.stdout.contains("—"))
        #expect(!result.stdout.lowercased().contains("inf") && !result.stdout.contains("nan"))

        let json = try CLI.jsonLines(try CLI.run("loudness", "--json", silent).stdout)
        #expect(json.first?["integrated_lufs"] is NSNull)
    }

    @Test func corruptFileIsOneLineAndExitTwo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("page.wav")
        try CorruptFiles.htmlErrorPage.write(to: URL(fileURLWithPath: path))
        let result = try CLI.run("loudness", path, CLI.sample("tracks/battle-loop.flac"))
        #expect(result.status == 2)
        #expect(result.stderr == "trackgate: \(path): not audio: the file is an HTML page (a failed or redirected download?)\n")
        #expect(result.stdout.contains("battle-loop.flac"))
    }

    @Test func truePeakCanBeSkipped() throws {
        let result = try CLI.run("loudness", "--json", "--no-true-peak", CLI.sample("tracks/battle-loop.flac"))
        let object = try #require(try CLI.jsonLines(result.stdout).first)
        #expect(object["true_peak_dbtp"] is NSNull)
        #expect(object["sample_peak_dbfs"] as? Double == -2.3353)
        #expect((object["unavailable"] as? [String: String])?["true_peak_dbtp"] == "not measured")
    }
}
