import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// A seeded mutation campaign over WAV (16-bit and float), AIFF, FLAC (also
/// from a streaming encoder), Ogg Vorbis, Opus, MP3 and AAC in MP4 (index last and first): header fields set to the
/// values broken writers leave and truncation points, run through `info`,
/// `loudness`, `check` and `process` as users run them. Every run must end
/// (a time limit stands for "no hang"), with an exit code of the contract (no
/// crash), every JSON number finite, every unreadable file named with a
/// sentence of TrackGate's own, nothing on standard error but TrackGate's own
/// lines, and no file under a final name for a track that could not be read.
///
/// `TRACKGATE_FUZZ_SCALE=N` runs N times as many mutations (and other seeds) for
/// a longer campaign than CI's.
@Suite(.serialized) struct MalformedInputFuzzTests {
    static let seconds = 4
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["TRACKGATE_FUZZ_SCALE"] ?? "") ?? 1)

    /// Good files of every format, 4 s of synthesised music at 44.1 kHz.
    static func goodFiles(in dir: TemporaryDirectory) throws -> [(base: String, ext: String, bytes: Data)] {
        let audio = MusicSynth(sampleRate: 44_100, seed: 21).render(plan: [("verse", Double(seconds))])
        let wav = dir.file("good.wav")
        var writer = try SoundFileWriter(path: wav, format: .wav16, sampleRate: 44_100, channelCount: 2)
        try writer.write(audio)
        try writer.commit()
        var made: [(String, String, Data)] = [("wav16", "wav", try Data(contentsOf: URL(fileURLWithPath: wav)))]
        for (base, ext, args) in [("wavf32", "wav", ["-c:a", "pcm_f32le"]), ("aiff", "aiff", ["-c:a", "pcm_s16be"]),
                                  ("flac", "flac", ["-c:a", "flac"]), ("vorbis", "ogg", ["-c:a", "libvorbis"]),
                                  ("opus", "opus", ["-c:a", "libopus"]), ("mp3", "mp3", ["-c:a", "libmp3lame"]),
                                  ("aac", "m4a", ["-c:a", "aac"]),
                                  ("aacfast", "m4a", ["-c:a", "aac", "-movflags", "+faststart"])] {
            let path = dir.file("good-\(base).\(ext)")
            let result = try ExternalTool.run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", wav] + args + [path])
            try #require(result.status == 0, "ffmpeg: \(result.stderr)")
            made.append((base, ext, try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        // A FLAC written to a pipe: STREAMINFO's total samples is 0 (unknown).
        let streamed = dir.file("good-streamed.flac")
        let result = try ExternalTool.run("/bin/sh", ["-c", "ffmpeg -nostdin -loglevel error -i '\(wav)' -f flac - > '\(streamed)'"])
        try #require(result.status == 0, "ffmpeg: \(result.stderr)")
        made.append(("flacstream", "flac", try Data(contentsOf: URL(fileURLWithPath: streamed))))
        return made
    }

    /// A folder of damaged tracks, each with a request, and the list of their paths.
    static func campaign(in dir: TemporaryDirectory) throws -> (folder: String, paths: [String]) {
        let folder = dir.file("cases")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let request = Data(#"{"type": "bgm", "description": "Fuzz case", "duration": 4}"#.utf8)
        var paths: [String] = []
        for (index, good) in try goodFiles(in: dir).enumerated() {
            for c in MalformedInputs.cases(of: good.bytes, base: good.base, seed: 1000 * UInt64(scale) + UInt64(index),
                                           truncations: 8 * scale, mutations: 10 * scale) {
                let path = "\(folder)/\(c.name).\(good.ext)"
                try c.bytes.write(to: URL(fileURLWithPath: path))
                try request.write(to: URL(fileURLWithPath: "\(folder)/\(c.name).request.json"))
                paths.append(path)
            }
        }
        return (folder, paths)
    }

    /// Runs trackgate under `timeout`: a run that does not end is killed and fails.
    static func run(_ arguments: [String], limit: Int = 240) throws -> ExternalTool.Result {
        try ExternalTool.run("timeout", ["--kill-after=10", "\(limit)", CLI.executable] + arguments, in: CLI.scratch.path)
    }

    static func expectQuiet(_ stderr: String, _ command: String) {
        let foreign = stderr.split(separator: "\n").filter { !$0.hasPrefix("trackgate: ") }
        #expect(foreign.isEmpty, "\(command): lines on standard error that are not TrackGate's: \(foreign.prefix(5))")
    }

    /// An error names its file and opens with a sentence of TrackGate's own; a
    /// library's words may only follow it.
    static func expectNamedError(_ error: String, file: String) {
        #expect(error.hasPrefix(file + ": "), "\(error)")
        let detail = error.dropFirst(file.count + 2)
        #expect(detail.count >= 12 && !detail.hasPrefix("("), "\(error)")
        for library in ["libsndfile:", "libmpg123:", "FFmpeg:"] {
            if let at = detail.range(of: library) {
                #expect(detail[..<at.lowerBound].count >= 12, "a library's message stands alone: \(error)")
            }
        }
    }

    @Test func infoLoudnessAndCheckSurviveEveryMutation() throws {
        let dir = try TemporaryDirectory()
        let (folder, paths) = try Self.campaign(in: dir)
        #expect(paths.count == 10 * 18 * Self.scale)

        for command in [["info", "--json", "--decode"], ["loudness", "--json"]] {
            let result = try Self.run(command + paths)
            #expect([0, 2].contains(result.status), "\(command[0]) exited \(result.status): \(result.stderr.suffix(500))")
            let lines = try CLI.jsonLines(result.stdout)
            #expect(lines.count == paths.count, "\(command[0]): \(lines.count) lines for \(paths.count) files")
            for line in lines {
                if let error = line["error"] as? String {
                    Self.expectNamedError("\(line["file"] as? String ?? "?"): \(error)", file: line["file"] as? String ?? "?")
                }
            }
            Self.expectQuiet(result.stderr, command[0])
        }

        let checked = try Self.run(["batch", folder, "--check-only", "--json", "--jobs", "2", "--quiet"])
        #expect([0, 1, 2].contains(checked.status), "batch --check-only exited \(checked.status): \(checked.stderr.suffix(500))")
        let reports = try CLI.jsonLines(checked.stdout)
        #expect(reports.count == paths.count)
        for report in reports {
            let verdict = report["verdict"] as? String ?? "?"
            #expect(["pass", "warn", "fail", "error"].contains(verdict))
            if verdict == "error", let error = report["error"] as? String {
                Self.expectNamedError(error, file: report["file"] as? String ?? "?")
            }
        }
        Self.expectQuiet(checked.stderr, "batch --check-only")
        // Most damage is found; some mutations land in fields that change nothing.
        let errors = reports.filter { $0["verdict"] as? String == "error" }
        print("fuzz: \(paths.count) damaged files, \(errors.count) unreadable, \(paths.count - errors.count) judged")
        if Self.scale > 1 {
            for e in errors { print("fuzz error: \(e["error"] as? String ?? "")") }
        }
    }

    @Test func processWritesNothingUnderAFinalNameForAnUnreadableTrack() throws {
        let dir = try TemporaryDirectory()
        let (folder, paths) = try Self.campaign(in: dir)
        let out = dir.file("out")
        let result = try Self.run(["batch", folder, "--out", out, "--json", "--jobs", "2", "--quiet", "--no-plots"], limit: 600)
        #expect([0, 1, 2].contains(result.status), "batch exited \(result.status): \(result.stderr.suffix(500))")
        Self.expectQuiet(result.stderr, "batch")
        let reports = try CLI.jsonLines(result.stdout)
        #expect(reports.count == paths.count)
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        for report in reports {
            let id = try #require(report["id"] as? String)
            let verdict = report["verdict"] as? String
            if verdict == "error" || verdict == "fail" {
                #expect(!written.contains("\(id).wav"), "\(id) (\(verdict ?? "?")) has a delivery file")
            }
            #expect(written.contains("\(id).json"), "\(id) has no report")
        }
        #expect(!written.contains { $0.hasPrefix(".") }, "temporaries left: \(written.filter { $0.hasPrefix(".") })")
        try BatchCommandTests.expectOnlyCompleteFiles(in: out)
    }

    /// A FIFO or a symlink to /dev/zero or /dev/urandom among a batch's inputs is
    /// an error at once; reading it would block or never end.
    @Test func specialFilesInABatchAreErrorsAtOnce() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.file("in")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(mkfifo("\(folder)/pipe.wav", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/zero.wav", withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/random.mp3", withDestinationPath: "/dev/urandom")
        for id in ["pipe", "zero", "random"] {
            try Data(#"{"type": "bgm", "description": "x", "duration": 4}"#.utf8)
                .write(to: URL(fileURLWithPath: "\(folder)/\(id).request.json"))
        }
        // Good audio whose request is a FIFO, or a symlink to /dev/zero.
        let good = dir.file("good.wav")
        var writer = try SoundFileWriter(path: good, format: .wav16, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.sine(frequency: 440, seconds: 4, sampleRate: 44_100))
        try writer.commit()
        for id in ["request-pipe", "request-zero"] {
            try FileManager.default.copyItem(atPath: good, toPath: "\(folder)/\(id).wav")
        }
        #expect(mkfifo("\(folder)/request-pipe.request.json", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: "\(folder)/request-zero.request.json", withDestinationPath: "/dev/zero")
        for mode in [["--check-only"], ["--out", dir.file("out")]] {
            let result = try Self.run(["batch", folder, "--json", "--quiet"] + mode, limit: 30)
            #expect(result.status == 2, "\(mode): exit \(result.status)")
            let errors = try CLI.jsonLines(result.stdout).compactMap { $0["error"] as? String }
            #expect(errors.count == 5 && errors.allSatisfy { $0.contains("not a regular file") }, "\(errors)")
        }
    }
}
