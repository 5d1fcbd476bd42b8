import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

@Suite struct InfoCommandTests {
    @Test func describesTheSampleTracks() throws {
        let result = try CLI.run("info", CLI.sample("tracks/trailer-structured.flac"), CLI.sample("tracks/battle-loop.flac"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("flac / flac 16-bit"))
        #expect(result.stdout.contains("44100 Hz, 2 channels"))
        #expect(result.stdout.contains("1:10.000 (3087000 frames)"))
        #expect(result.stdout.contains("48000 Hz, 2 channels"))
        #expect(result.stdout.contains("title     Cinematic trailer"))
    }

    @Test func jsonLinesOneObjectPerFile() throws {
        let result = try CLI.run("info", "--json", CLI.sample("tracks/battle-loop.flac"), CLI.sample("tracks/city-lights-song.flac"))
        #expect(result.status == 0)
        let objects = try CLI.jsonLines(result.stdout)
        #expect(objects.count == 2)
        #expect(objects[0]["sample_rate"] as? Int == 48_000)
        #expect(objects[0]["frames"] as? Int == 35 * 48_000)
        #expect(objects[0]["duration_s"] as? Double == 35)
        #expect(objects[0]["container"] as? String == "flac")
        #expect(objects[1]["channels"] as? Int == 2)
        #expect((objects[1]["tags"] as? [String: Any])?["genre"] as? String == "Synthetic sample (vocal)")
        #expect(objects.allSatisfy { $0["error"] == nil })
    }

    /// A corrupt file is one clear line on stderr naming it, exit code 2, no crash.
    @Test(arguments: [
        ("empty", Data(), "empty file (0 bytes)"),
        ("html", CorruptFiles.htmlErrorPage, "not audio: the file is an HTML page"),
        ("random", CorruptFiles.randomBytes(count: 2048), "not audio: format not recognised"),
        ("cut", CorruptFiles.wav(channels: 2, sampleRate: 44_100, bits: 16, dataBytes: 400).prefix(30), "truncated header"),
    ])
    func corruptFileIsOneLineAndExitTwo(_ name: String, _ bytes: Data, _ phrase: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("\(name).wav")
        try bytes.write(to: URL(fileURLWithPath: path))
        let result = try CLI.run("info", path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("trackgate: \(path): ") == true)
        #expect(result.stderr.contains(phrase))
    }

    @Test func mixedInputsReportEveryFileAndExitTwo() throws {
        let result = try CLI.run("info", "--json", CLI.sample("tracks/battle-loop.flac"), "/no/such/file.wav")
        #expect(result.status == 2)
        let objects = try CLI.jsonLines(result.stdout)
        #expect(objects.count == 2)
        #expect(objects[1]["file"] as? String == "/no/such/file.wav")
        #expect(objects[1]["error"] as? String == "no such file")
        #expect(objects[1]["error_kind"] as? String == "missing")
    }

    @Test func decodeCatchesACutFlacStream() throws {
        let dir = try TemporaryDirectory()
        let whole = try Data(contentsOf: URL(fileURLWithPath: CLI.sample("tracks/city-lights-song.flac")))
        let path = dir.file("cut.flac")
        try whole.prefix(whole.count / 3).write(to: URL(fileURLWithPath: path))
        #expect(try CLI.run("info", "--decode", path).status == 2)
    }
}

@Suite struct UsageTests {
    @Test func noArgumentsIsAUsageError() throws {
        #expect(try CLI.run("info").status == 64)
        #expect(try CLI.run("validate").status == 64)
        #expect(try CLI.run("frobnicate").status == 64)
    }

    @Test func helpListsEveryCommandOfTheContract() throws {
        let help = try CLI.run("--help")
        #expect(help.status == 0)
        for command in ["validate", "info", "loudness", "check", "process", "batch"] {
            #expect(help.stdout.contains("  \(command) "), "\(command) is missing from --help")
        }
        #expect(help.stdout.contains("64  usage error"))
    }
}

/// Decoders never write to the terminal themselves: every line on standard error
/// is TrackGate's own, naming the file. libmpg123 left to itself prints
/// resynchronisation notes for damaged and cut MP3s and for text it is handed.
@Suite struct DecoderQuietTests {
    @Test func damagedAndCutMP3sLeaveOnlyTrackGatesLines() throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.mp3")
        let made = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                                                   "sine=frequency=440:duration=6", "-ac", "2", "-c:a", "libmp3lame", whole])
        try #require(made.status == 0, "\(made.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        var damaged = bytes
        var rng = SeededRandom(seed: 3)
        for _ in 0..<60 { damaged[500 + Int(rng.next() % UInt64(bytes.count - 500))] = UInt8(truncatingIfNeeded: rng.next()) }
        var paths: [String] = []
        for (name, data) in [("damaged", damaged), ("cut", Array(bytes.prefix(bytes.count / 2))),
                             ("expired", Array(#"<?xml version="1.0"?><Error><Code>ExpiredToken</Code></Error>"#.utf8))] {
            let path = dir.file("\(name).mp3")
            try Data(data).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        for command in [["info", "--decode"], ["loudness"]] {
            let result = try CLI.run(command + paths)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.allSatisfy { $0.hasPrefix("trackgate: ") }, "\(command[0]): \(result.stderr)")
            #expect(lines.contains { $0.contains("expired.mp3: not audio: the file is XML text") }, "\(result.stderr)")
            #expect(lines.contains { $0.contains("cut.mp3: truncated") }, "\(result.stderr)")
        }
    }

    /// Tags written by other tools reach the terminal shown, not obeyed: a
    /// title that would clear the screen and set the window title.
    @Test func tagsWithEscapeSequencesAreShownEscaped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("t.wav")
        var tags = AudioTags()
        tags.title = "Night\u{1B}[2J\u{1B}]0;owned\u{07} drive"
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 48_000, channelCount: 1, tags: tags)
        try writer.write(AudioBuffer(sampleRate: 48_000, channels: [[Float](repeating: 0.1, count: 4_800)]))
        try writer.commit()
        let result = try CLI.run("info", path)
        #expect(result.status == 0)
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(result.stdout.contains(#"title     Night\e[2J\e]0;owned\a drive"#), "\(result.stdout)")
    }
}
