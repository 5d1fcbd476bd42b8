import AudioIO
import Foundation
import Testing
import TrackGate
import TrackGateTestSupport

@Suite struct ExitStatusTests {
    @Test func theMostSeriousOutcomeWins() {
        #expect([ExitStatus.success, .failed, .unreadable].max() == .unreadable)
        #expect([ExitStatus.failed, .success].max() == .failed)
        #expect(ExitStatus.unreadable.rawValue == 2 && ExitStatus.failed.rawValue == 1 && ExitStatus.usage.rawValue == 64)
    }
}

@Suite struct AudioFileReportTests {
    @Test func reportCarriesFormatTagsAndBext() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("bwf.wav")
        let bext = BroadcastInfo(description: "Battle loop", originator: "TrackGate", originationDate: "2026-11-21",
                                 originationTime: "09:00:00")
        var writer = try SoundFileWriter(path: path, format: .wav24, sampleRate: 48_000, channelCount: 2,
                                         tags: AudioTags(title: "Battle loop"), broadcastInfo: bext)
        try writer.write(TestSignals.sine(frequency: 440, seconds: 1.5))
        try writer.commit()

        let report = AudioFileReport.inspect(path: path, decode: true)
        #expect(report.exitStatus == .success)
        #expect(report.codec == "pcm_s24" && report.bitDepth == 24 && report.frames == 72_000 && report.durationS == 1.5)
        #expect(report.bext?.description == "Battle loop")
        #expect(report.renderText().contains("  bext      Battle loop"))

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["file", "container", "codec", "bit_depth", "sample_rate", "channels",
                                                      "frames", "duration_s", "decoded", "file_size_bytes", "tags", "bext"])
        #expect(report.decoded == true)
    }

    @Test func anUnreadableFileIsAnErrorReport() throws {
        let report = AudioFileReport.inspect(path: "/nonexistent/x.wav")
        #expect(report.exitStatus == .unreadable)
        #expect(report.error == "no such file" && report.errorKind == .missing)
        #expect(report.renderText() == "/nonexistent/x.wav: no such file")
    }
}

@Suite struct RequestReportTests {
    func report(_ json: String) throws -> RequestReport {
        let dir = try TemporaryDirectory()
        let path = dir.file("r.json")
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return RequestReport.validate(path: path)
    }

    @Test func anInvalidRequestKeepsTheKindItWasMeantToBe() throws {
        let r = try report(#"{"type": "bgm", "version": "v2.0", "description": "x", "duration": 500}"#)
        #expect(r.kind == "bgm_v2" && !r.valid && r.exitStatus == .failed)
        #expect(r.renderText().contains("error   duration: 500 s is out of range; it must be 30 to 120 s"))
    }

    @Test func notJSONIsUnreadable() throws {
        let r = try report("<html>nope</html>")
        #expect(r.exitStatus == .unreadable && r.errorKind == "not_json")
        #expect(r.error == "'<' at line 1, column 1: this is HTML or XML, not JSON (an error page saved in place of the file?)")
    }

    @Test func aTaskAnswerIsRecognised() throws {
        let r = try report(#"{"task_id": "abc", "status": "succeeded", "audio_url": "https://x/y.wav", "duration": 61.2}"#)
        #expect(r.kind == "task" && r.valid)
    }
}
