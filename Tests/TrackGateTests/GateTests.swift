import AudioIO
import Foundation
import RequestModel
import Testing
import TrackGate
import TrackGateTestSupport

/// Each defect and duration case of the gate, on music-like audio with the
/// defect cut in, through files as users have them.
@Suite struct GateTests {
    static let rate = 44_100

    /// A folder with `track.wav` (the given channels) and `track.request.json`.
    struct Fixture {
        let dir: TemporaryDirectory
        let audio: String
        let request: String

        init(_ channels: [[Float]], request: String, format: OutputFormat = .wav24) throws {
            dir = try TemporaryDirectory()
            audio = dir.file("track.wav")
            var writer = try SoundFileWriter(path: audio, format: format, sampleRate: GateTests.rate, channelCount: channels.count)
            try writer.write(AudioBuffer(sampleRate: GateTests.rate, channels: channels))
            try writer.commit()
            self.request = dir.file("track.request.json")
            try Data(request.utf8).write(to: URL(fileURLWithPath: self.request))
        }

        func check(policy: Policy = Policy(), strict: Bool = false, task: String? = nil) throws -> TrackReport {
            var taskPath: String?
            if let task {
                taskPath = dir.file("track.task.json")
                try Data(task.utf8).write(to: URL(fileURLWithPath: taskPath!))
            }
            return Gate(policy: policy, strict: strict).check(audioPath: audio, requestPath: request, taskPath: taskPath)
        }
    }

    static func bgm(_ seconds: Int) -> String {
        #"{"type": "bgm", "version": "v1.0", "description": "Test track", "duration": \#(seconds)}"#
    }

    /// Music of `seconds` that decays at its end.
    static func music(_ seconds: Double, seed: UInt64 = 1) -> [[Float]] {
        MusicSynth(sampleRate: rate, seed: seed).render(plan: [("verse", seconds / 2), ("chorus", seconds / 2)]).channels
    }

    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path

    static func silence(_ seconds: Double) -> [Float] { [Float](repeating: 0, count: Int(seconds * Double(rate))) }

    func status(_ r: TrackReport, _ id: String) -> TrackReport.Status? { r.checks.first { $0.id.rawValue == id }?.status }
    func message(_ r: TrackReport, _ id: String) -> String { r.checks.first { $0.id.rawValue == id }?.message ?? "" }

    @Test func aCleanTrackPasses() throws {
        let r = try Fixture(Self.music(20), request: Self.bgm(20)).check()
        #expect(r.verdict == .pass, "\(r.checks.filter { $0.status != .pass })")
        // Without a section plan there are no boundaries to report, requested or not.
        #expect(r.boundaries.isEmpty && r.unrequestedChanges.isEmpty)
        #expect(r.exitStatus == .success)
        let ids = Set(r.checks.map(\.id.rawValue))
        for id in ["request", "duration", "boundaries", "leading_silence", "trailing_silence", "dropout", "clipping",
                   "truncated_ending", "dc_offset", "non_finite", "true_peak", "loudness"] {
            #expect(ids.contains(id), "missing check \(id)")
        }
    }

    /// The reference's own example: 180 s asked, 199.04 s delivered (+10.6 %) warns; +30 % fails.
    @Test func durationAgainstTheRequest() throws {
        let warned = try Fixture(Self.music(33.2), request: Self.bgm(30)).check()
        #expect(status(warned, "duration") == .warn)
        #expect(message(warned, "duration") == "33.20 s delivered for 30 s requested (+3.20 s, +10.7 %)")
        #expect(warned.verdict == .warn && warned.exitStatus == .success)
        let failed = try Fixture(Self.music(21), request: Self.bgm(30)).check()
        #expect(status(failed, "duration") == .fail && failed.verdict == .fail && failed.exitStatus == .failed)
        #expect(try Fixture(Self.music(30.5), request: Self.bgm(30)).check().checks.first { $0.id == .duration }?.status == .pass)
    }

    @Test func durationAgainstTheTaskAnswer() throws {
        let fixture = try Fixture(Self.music(20), request: Self.bgm(20))
        let task = #"{"task_id": "t1", "status": "succeeded", "audio_url": "https://x/y.wav", "duration": 24.5}"#
        let r = try fixture.check(task: task)
        #expect(status(r, "task_duration") == .fail)
        #expect(message(r, "task_duration") == "the task answer reports 24.50 s, the audio lasts 20.00 s (4.50 s apart)")
    }

    @Test func leadingAndTrailingSilence() throws {
        let m = Self.music(20)
        let r = try Fixture(m.map { Self.silence(2.5) + $0 + Self.silence(6) }, request: Self.bgm(28)).check()
        #expect(status(r, "leading_silence") == .fail && message(r, "leading_silence") == "2.50 s of silence at the start")
        #expect(status(r, "trailing_silence") == .fail)
        #expect(message(r, "trailing_silence").hasSuffix("s of silence at the end"))
    }

    @Test func aDropout() throws {
        let m = Self.music(20)
        let gap = Int(2.1 * Double(Self.rate)), at = 10 * Self.rate
        let broken = m.map { c -> [Float] in var x = c; x.replaceSubrange(at ..< at + gap, with: repeatElement(0, count: gap)); return x }
        let r = try Fixture(broken, request: Self.bgm(20)).check()
        #expect(status(r, "dropout") == .fail)
        #expect(message(r, "dropout") == "2.1 s of silence at 10.0 s")
    }

    @Test func clipping() throws {
        let hot = Self.music(20).map { $0.map { max(-1, min(1, $0 * 3)) } }
        let r = try Fixture(hot, request: Self.bgm(20)).check()
        #expect(status(r, "clipping") == .fail, "\(message(r, "clipping"))")
        #expect(status(r, "true_peak") == .fail)
        // Clipped, then normalised to -3 dBFS by the generator: still clipping.
        let normalised = hot.map { $0.map { $0 * 0.707_945_8 } }
        let n = try Fixture(normalised, request: Self.bgm(20), format: .wav16).check()
        #expect(status(n, "clipping") == .fail, "\(message(n, "clipping"))")
        #expect(message(n, "clipping").contains("at up to -3.0 dBFS"), "\(message(n, "clipping"))")
    }

    /// A float file straight from a generator, peaking at +6 dBFS with every
    /// sample intact: overs warn, nothing fails, and nothing is called clipping.
    @Test func floatOversAreReportedNotFailed() throws {
        let loud = Self.music(20).map { $0.map { $0 * 2 / 0.6 } }
        let peak = 20 * log10(Double(loud.flatMap { $0 }.map(abs).max()!))
        let r = try Fixture(loud, request: Self.bgm(20), format: .wavFloat).check()
        #expect(status(r, "clipping") == .pass, "\(message(r, "clipping"))")
        #expect(status(r, "over_full_scale") == .warn)
        #expect(message(r, "over_full_scale").contains(String(format: "up to %+.2f dBFS", peak)), "\(message(r, "over_full_scale"))")
        #expect(status(r, "true_peak") == .warn)
        #expect(r.verdict == .warn, "\(r.checks.filter { $0.status == .fail })")
    }

    /// One channel of a stereo track is digital silence: fails. One far quieter
    /// than the other: warns at the policy's 15 dB.
    @Test func aSilentOrQuietChannel() throws {
        let m = Self.music(20)
        let silent = try Fixture([m[0], Self.silence(20)], request: Self.bgm(20)).check()
        #expect(status(silent, "silent_channel") == .fail)
        #expect(message(silent, "silent_channel") == "the right channel is digital silence")
        #expect(message(silent, "phase_inverted").contains("a channel is silent"))
        let quiet = try Fixture([m[0].map { $0 * 0.1 }, m[1]], request: Self.bgm(20)).check()   // -20 dB
        #expect(status(quiet, "silent_channel") == .warn)
        #expect(message(quiet, "silent_channel").hasPrefix("the left channel is 2"), "\(message(quiet, "silent_channel"))")
        let balanced = try Fixture(m, request: Self.bgm(20)).check()
        #expect(status(balanced, "silent_channel") == .pass)
        var policy = Policy()
        policy.silentChannelFails = false
        #expect(try Fixture([m[0], Self.silence(20)], request: Self.bgm(20)).check(policy: policy).verdict == .warn)
    }

    @Test func aTruncatedEnding() throws {
        let cut = MusicSynth(sampleRate: Self.rate, seed: 2).render(plan: [("chorus", 20)], variant: 0)
        let hard = MusicSynth(sampleRate: Self.rate, seed: 2).render(sections: [(.forSection("chorus"), 20)], fadeOut: 0)
        #expect(status(try Fixture(cut.channels, request: Self.bgm(20)).check(), "truncated_ending") == .pass)
        let r = try Fixture(hard.channels, request: Self.bgm(20)).check()
        #expect(status(r, "truncated_ending") == .warn)
        #expect(message(r, "truncated_ending").hasPrefix("the music stops without fading"))
        var policy = Policy()
        policy.truncatedEndingFails = true
        #expect(try Fixture(hard.channels, request: Self.bgm(20)).check(policy: policy).verdict == .fail)
    }

    @Test func dcOffset() throws {
        let r = try Fixture(Self.music(20).map { $0.map { $0 * 0.8 + 0.03 } }, request: Self.bgm(20)).check()
        #expect(status(r, "dc_offset") == .warn)
    }

    @Test func nonFiniteSamplesInAFloatFile() throws {
        var m = Self.music(20)
        for i in stride(from: 1000, to: 50_000, by: 997) { m[0][i] = .nan }
        let r = try Fixture(m, request: Self.bgm(20), format: .wavFloat).check()
        #expect(status(r, "non_finite") == .fail)
        #expect(message(r, "non_finite") == "50 samples are NaN, infinite or beyond ±10^9 (measured as silence)")
        #expect(r.loudness?.integratedLUFS?.isFinite == true)
    }

    @Test func monoAsStereoAndInvertedChannels() throws {
        let left = Self.music(20)[0]
        #expect(status(try Fixture([left, left], request: Self.bgm(20)).check(), "mono_as_stereo") == .warn)
        let inverted = try Fixture([left, left.map { -$0 }], request: Self.bgm(20)).check()
        #expect(status(inverted, "phase_inverted") == .fail)
    }

    @Test func aSilentTrackFails() throws {
        let r = try Fixture([Self.silence(20), Self.silence(20)], request: Self.bgm(20)).check()
        #expect(r.verdict == .fail)
        #expect(status(r, "loudness") == .fail && message(r, "loudness").hasPrefix("silent"))
        #expect(message(r, "leading_silence") == "the whole track is silent")
    }

    @Test func requestedBoundaries() throws {
        let audio = MusicSynth(sampleRate: Self.rate, seed: 5).render(plan: [("intro", 10), ("chorus", 15), ("outro", 10)])
        let request = #"{"type": "bgm", "version": "v2.0", "description": "x", "segments": [{"name": "intro", "duration": 10}, {"name": "chorus", "duration": 15}, {"name": "outro", "duration": 10}]}"#
        let r = try Fixture(audio.channels, request: request).check()
        #expect(status(r, "boundaries") == .pass, "\(message(r, "boundaries"))")
        #expect(r.planAlignment?.status == .confirmed && (r.planAlignment?.pValue ?? 1) <= 0.05, "\(String(describing: r.planAlignment))")
        #expect(r.boundaries.map(\.expectedS) == [10, 25])
        for b in r.boundaries { #expect(b.status == .confirmed && abs(b.detectedS! - b.expectedS) < 0.3 && b.pValue! <= 0.05) }
        // The same music against a plan whose change it does not have (17 s, mid-chorus):
        // the plan is not confirmed, the check warns, and the music's own change
        // at 10 s is reported as unrequested.
        let shifted = #"{"type": "bgm", "version": "v2.0", "description": "x", "segments": [{"name": "intro", "duration": 17}, {"name": "outro", "duration": 18}]}"#
        let wrong = try Fixture(audio.channels, request: shifted).check()
        #expect(wrong.planAlignment?.status == .notConfirmed, "\(String(describing: wrong.planAlignment))")
        #expect(status(wrong, "boundaries") == .warn && message(wrong, "boundaries").hasPrefix("the plan is not confirmed"))
        let claimed = try #require(wrong.boundaries.first)
        #expect(claimed.status == .weak && claimed.pValue! > 0.05, "\(claimed)")
        #expect(wrong.unrequestedChanges.contains { abs($0.timeS - 10) < 0.5 }, "\(wrong.unrequestedChanges)")
        var policy = Policy()
        policy.planAlignmentFails = true
        #expect(try Fixture(audio.channels, request: shifted).check(policy: policy).verdict == .fail)
    }

    @Test func strictTurnsWarningsIntoFailures() throws {
        let fixture = try Fixture(Self.music(33.2), request: Self.bgm(30))
        #expect(try fixture.check().verdict == .warn)
        let strict = try fixture.check(strict: true)
        #expect(strict.verdict == .fail && strict.exitStatus == .failed)
    }

    @Test func unreadableAudioOrRequestIsAnError() throws {
        let fixture = try Fixture(Self.music(5), request: Self.bgm(5))
        try CorruptFiles.htmlErrorPage.write(to: URL(fileURLWithPath: fixture.audio))
        let r = try fixture.check()
        #expect(r.verdict == .error && r.exitStatus == .unreadable)
        #expect(r.error?.contains("HTML page") == true)
        let missing = Gate().check(audioPath: fixture.audio, requestPath: fixture.dir.file("none.json"))
        #expect(missing.verdict == .error && missing.error?.hasSuffix("none.json: no such file") == true)
        #expect(r.errorKind == .file(.notAudio) && missing.errorKind == .file(.missing))
    }

    /// A request that is not JSON stops the gate with the place and kind of the
    /// problem; one with a key given twice is judged by the last value and warns.
    @Test func requestReadingProblemsReachTheReport() throws {
        let cut = try Fixture(Self.music(5), request: "{\"type\": \"bgm\",\n \"duration\": ")
        let r = try cut.check()
        #expect(r.verdict == .error && r.exitStatus == .unreadable && r.errorKind == .json(.notJSON))
        #expect(r.error == "\(cut.request): unexpected end of file at line 2, column 14: expected a value; the object opened "
            + "at line 1, column 1 is not closed (is the file cut short?)")

        let twice = try Fixture(Self.music(5), request: #"{"type": "bgm", "description": "d", "duration": 60, "duration": 5}"#)
        let t = try twice.check()
        #expect(t.error == nil && t.requestedDurationS == 5)
        #expect(status(t, "request") == .warn)
        #expect(message(t, "request").contains("the key \"duration\" appears twice in one object"))
        #expect(t.verdict == .warn)
    }

    /// A request that broke the reference's rules still made this track: it is
    /// judged against what it asks (500 s, where the rules allow 60), the request
    /// check warns, and only the policy makes that a failure.
    @Test func aRequestThatBrokeARuleIsStillJudged() throws {
        let fixture = try Fixture(Self.music(5), request: #"{"type": "bgm", "duration": 500, "description": "x"}"#)
        let r = try fixture.check()
        #expect(r.verdict == .fail && r.error == nil, "\(r.error ?? "")")
        #expect(status(r, "request") == .warn)
        #expect(message(r, "request").contains("500 s is out of range") && message(r, "request").hasSuffix("judged against what it asks: 500 s"))
        #expect(status(r, "duration") == .fail && r.requestedDurationS == 500)

        // The reference's own BGM v1.0 body (a genre as a theme), and a plan whose
        // segments add up to 20 s, with tracks that follow them: warnings only.
        let reference = try String(contentsOfFile: "\(Self.samples)/requests/invalid/bgm-v1-request-body.json", encoding: .utf8)
        let business = try Fixture(Self.music(45), request: reference).check()
        #expect(business.verdict == .warn && status(business, "request") == .warn && status(business, "duration") == .pass,
                "\(business.checks.filter { $0.status != .pass })")
        let short = try Fixture(Self.music(20), request: #"{"type": "bgm", "version": "v2.0", "description": "Short", "segments": [{"name": "intro", "duration": 10}, {"name": "chorus", "duration": 10}]}"#).check()
        #expect(short.requestedDurationS == 20 && short.boundaries.map(\.expectedS) == [10])
        #expect(status(short, "request") == .warn && status(short, "duration") == .pass)

        var policy = Policy()
        policy.requestRulesFail = true
        #expect(try Fixture(Self.music(45), request: reference).check(policy: policy).verdict == .fail)
    }

    /// Only a request from which nothing can be expected stops the gate.
    @Test func aRequestWithoutAnyExpectationIsAnError() throws {
        let r = try Fixture(Self.music(5), request: #"{"type": "bgm", "description": "no length"}"#).check()
        #expect(r.verdict == .error && r.exitStatus == .failed)
        #expect(r.error?.contains("no expectation can be read from the request") == true, "\(r.error ?? "")")
    }

    @Test func policyFilesOverrideDefaults() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("policy.json")
        try Data(#"{"duration": {"warn": 0.2}, "boundary_fails": true}"#.utf8).write(to: URL(fileURLWithPath: path))
        let p = try Policy.load(path: path)
        #expect(p.duration.warn == 0.2 && p.duration.fail == 0.25 && p.planAlignmentFails, "boundary_fails is read as plan_alignment_fails")
        try Data(#"{"durations": 1}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PolicyError.self) { try Policy.load(path: path) }
        try Data("{\n  \"duration\": {\"warn\": 0.2,}\n}".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try Policy.load(path: path) } throws: { error in
            (error as? PolicyError)?.description == "\(path): unexpected '}' at line 2, column 28: expected a key "
                + "(a comma before '}': JSON allows no trailing comma)"
        }
    }
}
