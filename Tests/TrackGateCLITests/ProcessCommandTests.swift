import Foundation
import Testing
import TrackGateTestSupport

@Suite struct ProcessCommandTests {
    func sample(_ name: String) -> (audio: String, request: String, task: String) {
        (CLI.sample("tracks/\(name).flac"), CLI.sample("tracks/\(name).request.json"), CLI.sample("tracks/\(name).task.json"))
    }

    /// The sample through both engines into both containers, as a user would run it.
    @Test(arguments: [("libsamplerate", "wav", "24"), ("soxr", "flac", "16")])
    func processesTheSample(engine: String, format: String, bits: String) throws {
        let s = sample("trailer-structured")
        let dir = try TemporaryDirectory()
        let result = try CLI.run("process", s.audio, "--request", s.request, "--task", s.task, "--out", dir.path,
                                 "--sample-rate", "48000", "--resampler", engine, "--format", format, "--bit-depth", bits, "--json")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try CLI.jsonLines(result.stdout).first)
        let output = try #require(report["output"] as? [String: Any])
        #expect(output["audio"] as? String == dir.file("trailer-structured.\(format)"))
        #expect(output["verified"] as? Bool == true && output["sample_rate"] as? Int == 48_000)
        let loudness = try #require(output["loudness"] as? [String: Any])
        #expect(abs((loudness["integrated_lufs"] as? Double ?? 0) + 14) <= 0.1)
        #expect((loudness["true_peak_dbtp"] as? Double ?? 0) <= -1)
        #expect(try dir.contents() == ["trailer-structured.\(format)", "trailer-structured.json", "trailer-structured.svg"].sorted())
        #expect(report["plot"] as? String == dir.file("trailer-structured.svg"))
        // The human form says what was written.
        let again = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path, "--format", format,
                                "--bit-depth", bits, "--overwrite")
        #expect(again.status == 0 && again.stdout.contains("  wrote    \(dir.file("trailer-structured.\(format)"))"), "\(again.stdout)")
    }

    @Test func usageErrors() throws {
        let s = sample("battle-loop")
        let dir = try TemporaryDirectory()
        let flacFloat = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path, "--format", "flac", "--bit-depth", "32f")
        #expect(flacFloat.status == 64 && flacFloat.stderr.contains("FLAC stores integer samples only"))
        let badTarget = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path, "--target-lufs", "3")
        #expect(badTarget.status == 64)
        #expect(try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path).status == 0)
        let exists = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path)
        #expect(exists.status == 64 && exists.stderr.contains("already exists; pass --overwrite"), "\(exists.stderr)")
    }

    /// An output that cannot be written while processing is exit 2, as when
    /// found before: here the delivery's name is taken by a folder.
    @Test func anUnwritableOutputExitsTwo() throws {
        let s = sample("battle-loop")
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("battle-loop.wav"), withIntermediateDirectories: true)
        let result = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path, "--overwrite", "--json")
        #expect(result.status == 2, "\(result.stdout)")
        let report = try #require(try CLI.jsonLines(result.stdout).first)
        #expect(report["verdict"] as? String == "error")
        #expect(report["error_kind"] as? String == "write_failed")
    }

    /// With --overwrite, a run that writes no delivery (its request is broken)
    /// removes the one an earlier run left, so no delivery outlives its report;
    /// a run that cannot write its report keeps no delivery either.
    @Test func noDeliveryOutlivesItsReport() throws {
        let s = sample("battle-loop")
        let dir = try TemporaryDirectory()
        #expect(try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path).status == 0)
        #expect(FileManager.default.fileExists(atPath: dir.file("battle-loop.wav")))
        try Data("{".utf8).write(to: URL(fileURLWithPath: dir.file("broken.json")))
        let broken = try CLI.run("process", s.audio, "--request", dir.file("broken.json"), "--out", dir.path, "--overwrite")
        #expect(broken.status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.file("battle-loop.wav")))

        let other = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: other.file("battle-loop.json"), withIntermediateDirectories: true)
        let noReport = try CLI.run("process", s.audio, "--request", s.request, "--out", other.path, "--overwrite", "--json")
        #expect(noReport.status == 2)
        #expect(!FileManager.default.fileExists(atPath: other.file("battle-loop.wav")))
        let report = try #require(try CLI.jsonLines(noReport.stdout).first)
        #expect((report["output"] as? [String: Any])?["not_written"] as? String
            == "the report could not be written, so the delivery was removed")
    }

    /// A killed run's hidden temporary goes with the next `process` into the
    /// folder, even one that stops at "already exists".
    @Test func aKilledRunsTemporaryGoesWithTheNextProcess() throws {
        let s = sample("battle-loop")
        let dir = try TemporaryDirectory()
        #expect(try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path).status == 0)
        try Data("half".utf8).write(to: URL(fileURLWithPath: dir.file(".battle-loop.wav.Ab12Cd.partial")))
        let exists = try CLI.run("process", s.audio, "--request", s.request, "--out", dir.path)
        #expect(exists.status == 64)
        #expect(!FileManager.default.fileExists(atPath: dir.file(".battle-loop.wav.Ab12Cd.partial")))
    }

    @Test func unreadableInputExitsTwo() throws {
        let dir = try TemporaryDirectory()
        let result = try CLI.run("process", dir.file("missing.wav"), "--request", sample("battle-loop").request, "--out", dir.file("out"))
        #expect(result.status == 2 && result.stderr.contains("missing.wav"), "\(result.stderr)")
    }
}
