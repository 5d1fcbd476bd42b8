import AudioIO
import Foundation
import RequestModel
import Testing
import TrackGate
import TrackGateTestSupport

/// Tracks from Sonic and Producer, which request no duration: the gate judges
/// the length by the task answer's clip and the model's documented longest
/// track, and a batch pairs downloaded clips with their task's answer.
@Suite struct SuccessorServiceTests {
    static let rate = 44_100
    static let sonicRequest = #"""
    {"custom_mode": true, "mv": "sonic-v4", "title": "Neon City", "tags": "synthwave",
     "prompt": "[Verse]\nLights on the water\n[Chorus]\nNeon city\n[Outro]\nHold me"}
    """#
    static let producerRequest = #"{"task_type": "create_music", "sound": "lo-fi hip hop, instrumental", "title": "Rainy Desk"}"#

    static func sonicAnswer(_ durations: [String]) -> String {
        let clips = durations.enumerated().map { i, d in
            #"{"clip_id": "clip-\#(i)", "title": "Neon City", "tags": "synthwave", "state": "succeeded", "mv": "sonic-v4", "#
                + #""audio_url": "https://cdn.example/clip-\#(i).mp3", "duration": \#(d)}"#
        }
        return #"{"code": 200, "message": "success", "data": [\#(clips.joined(separator: ", "))]}"#
    }

    /// Writes `name` (music of `seconds`) and returns its path.
    static func clip(_ dir: TemporaryDirectory, _ name: String, seconds: Double) throws -> String {
        let path = dir.file(name)
        let audio = MusicSynth(sampleRate: rate, seed: 3).render(plan: [("verse", seconds / 2), ("chorus", seconds / 2)])
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: rate, channelCount: 2)
        try writer.write(audio)
        try writer.commit()
        return path
    }

    static func write(_ text: String, _ path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    func check(_ r: TrackReport, _ id: String) -> TrackReport.Check? { r.checks.first { $0.id.rawValue == id } }

    @Test func aSonicClipIsJudgedByItsAnswerEntry() throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "clip-1.wav", seconds: 12)
        try Self.write(Self.sonicRequest, dir.file("song.request.json"))
        // Two clips; the file is the second, whose duration is written as a string.
        try Self.write(Self.sonicAnswer(["30", #""12.00""#]), dir.file("song.task.json"))
        let r = Gate().check(audioPath: audio, requestPath: dir.file("song.request.json"), taskPath: dir.file("song.task.json"))
        #expect(r.service == "Sonic" && r.requestedDurationS == nil)
        #expect(r.lyricSections == ["Verse", "Chorus", "Outro"])
        #expect(check(r, "request")?.status == .pass)
        #expect(check(r, "duration")?.status == .pass)
        #expect(check(r, "duration")?.message.contains("sonic-v4 makes up to about 120 s") == true)
        #expect(check(r, "task_duration")?.status == .pass, "\(String(describing: check(r, "task_duration")))")
        // The same file judged as the first clip (30 s reported) fails the answer's length.
        let first = Gate().evaluate(audioPath: audio, request: .file(dir.file("song.request.json")),
                                    task: .file(dir.file("song.task.json")), clip: "clip-0").report
        #expect(check(first, "task_duration")?.status == .fail)
    }

    /// The picture says the section order the lyrics ask for, which has no times to draw.
    @Test func thePictureSaysTheLyricsSections() throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "clip-1.wav", seconds: 12)
        try Self.write(Self.sonicRequest, dir.file("r.json"))
        let outcome = Gate().evaluate(audioPath: audio, request: .file(dir.file("r.json")), envelopeColumns: TrackPlot.envelopeColumns)
        let plot = TrackPlot(analysis: try #require(outcome.analysis), report: outcome.report, policy: Policy(), targetLUFS: -14)
        try plot.save(to: dir.file("clip-1.svg"))
        let svg = try String(contentsOfFile: dir.file("clip-1.svg"), encoding: .utf8)
        #expect(svg.contains("the lyrics ask for Verse → Chorus → Outro (untimed)"))
    }

    @Test func aFileNoClipNamesIsSaidToBeUnmatched() throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "download.wav", seconds: 6)
        try Self.write(Self.sonicRequest, dir.file("r.json"))
        try Self.write(Self.sonicAnswer(["6", "6"]), dir.file("t.json"))
        let r = Gate().check(audioPath: audio, requestPath: dir.file("r.json"), taskPath: dir.file("t.json"))
        #expect(check(r, "task_duration")?.status == .warn)
        #expect(check(r, "task_duration")?.message.contains("lists 2 clips (clip-0, clip-1) and none is this file") == true)
    }

    @Test func lengthPastTheModelsLongestWarnsAndThePolicyRangeFails() throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "long.wav", seconds: 140)
        try Self.write(Self.sonicRequest, dir.file("r.json"))
        let r = Gate().check(audioPath: audio, requestPath: dir.file("r.json"))
        // sonic-v4 makes about 120 s; 140 s is more than 10 % past it.
        #expect(check(r, "duration")?.status == .warn)
        var policy = Policy()
        policy.durationRangeS = .init(min: 150, max: nil)
        let ranged = Gate(policy: policy).check(audioPath: audio, requestPath: dir.file("r.json"))
        #expect(check(ranged, "duration")?.status == .fail)
        #expect(check(ranged, "duration")?.message.contains("under the policy's 150 s minimum") == true)
    }

    @Test func aProducerRequestAsksForNoVocals() throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "desk.wav", seconds: 8)
        try Self.write(Self.producerRequest, dir.file("r.json"))
        let r = Gate().check(audioPath: audio, requestPath: dir.file("r.json"))
        #expect(r.service == "Producer" && r.instrumental == "the style text says \"instrumental\"")
        #expect(r.verdict != .error)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(json.contains(#""requested_duration_s":null"#) && json.contains(#""service":"Producer""#))
    }

    /// A task's answer and request beside its clips, named by clip id: each
    /// clip a track with the task's request and its own answer entry; a listed
    /// clip that was not downloaded is a track of its own, in error.
    @Test func aFolderPairsClipsWithTheirTask() throws {
        let dir = try TemporaryDirectory()
        _ = try Self.clip(dir, "clip-0.wav", seconds: 6)
        try Self.write(Self.sonicRequest, dir.file("neon.request.json"))
        try Self.write(Self.sonicAnswer(["6", "6"]), dir.file("neon.task.json"))
        let tracks = BatchInventory.folder(dir.path)
        #expect(tracks.map(\.id).sorted() == ["clip-0", "clip-1"])
        let clip = try #require(tracks.first { $0.id == "clip-0" })
        #expect(clip.problem == nil && clip.clip == "clip-0")
        #expect(clip.request == .file(dir.file("neon.request.json")) && clip.task == .file(dir.file("neon.task.json")))
        let missing = try #require(tracks.first { $0.id == "clip-1" })
        #expect(missing.audio == nil && missing.problem?.contains("clip clip-1 is in the answer but not in the folder") == true)
    }

    @Test func aManifestLineNamesItsClip() throws {
        let dir = try TemporaryDirectory()
        let line = #"{"id": "take-2", "audio": "a.mp3", "request": "r.json", "task": "t.json", "clip": "clip-1"}"#
        try Self.write(line + "\n", dir.file("m.jsonl"))
        let tracks = BatchInventory.manifest(dir.file("m.jsonl"))
        #expect(tracks.count == 1 && tracks[0].clip == "clip-1" && tracks[0].problem == nil)
        try Self.write(#"{"audio": "a.mp3", "request": "r.json", "clip": "clip-1"}"# + "\n", dir.file("n.jsonl"))
        #expect(BatchInventory.manifest(dir.file("n.jsonl")).first?.problem?.contains("give the answer as \"task\"") == true)
    }

    @Test func thePolicyRangeIsReadFromAFile() throws {
        let dir = try TemporaryDirectory()
        try Self.write(#"{"duration_range_s": {"min": 30, "max": 300}, "longest_duration_margin": 0.2}"#, dir.file("p.json"))
        let policy = try Policy.load(path: dir.file("p.json"))
        #expect(policy.durationRangeS == .init(min: 30, max: 300) && policy.longestDurationMargin == 0.2)
        try Self.write(#"{"duration_range_s": {"min": 300, "max": 30}}"#, dir.file("bad.json"))
        #expect(throws: PolicyError.self) { try Policy.load(path: dir.file("bad.json")) }
        try Self.write(#"{"longest_duration_margin": -1}"#, dir.file("bad2.json"))
        #expect(throws: PolicyError.self) { try Policy.load(path: dir.file("bad2.json")) }
    }

    /// A clip the answer says is streaming is a preview; a failed task's file is not its delivery.
    @Test(arguments: [("streaming", "warn"), ("running", "warn"), ("succeeded", "pass")])
    func theAnswersStateIsChecked(_ state: String, _ status: String) throws {
        let dir = try TemporaryDirectory()
        let audio = try Self.clip(dir, "clip-0.wav", seconds: 6)
        try Self.write(Self.sonicRequest, dir.file("r.json"))
        try Self.write(Self.sonicAnswer(["6"]).replacingOccurrences(of: "\"succeeded\"", with: "\"\(state)\""), dir.file("t.json"))
        let r = Gate().check(audioPath: audio, requestPath: dir.file("r.json"), taskPath: dir.file("t.json"))
        #expect(check(r, "task_state")?.status.rawValue == status, "\(String(describing: check(r, "task_state")))")
        // A Producer request judged with a Sonic answer: two services, one file.
        try Self.write(Self.producerRequest, dir.file("p.json"))
        let mixed = Gate().check(audioPath: audio, requestPath: dir.file("p.json"), taskPath: dir.file("t.json"))
        #expect(check(mixed, "task_state")?.status == .warn && check(mixed, "task_state")?.message.contains("Sonic's") == true)
        #expect(mixed.clipID == "clip-0")
        let failed = #"{"code": 200, "status": "FAILED", "data": [{"clip_id": "p1", "audio_url": "u", "duration": 6}]}"#
        try Self.write(Self.producerRequest, dir.file("p.json"))
        try Self.write(failed, dir.file("pt.json"))
        let p = Gate().check(audioPath: audio, requestPath: dir.file("p.json"), taskPath: dir.file("pt.json"))
        #expect(check(p, "task_state")?.status == .fail)
    }

    /// The layouts a folder may take, without false "missing" tracks: a clip
    /// beside its own NAME.task.json, a failed clip (nothing to download), a
    /// second copy of a clip (refused, named), an answer that lists no clips.
    @Test func folderPairingEdgeCases() throws {
        let dir = try TemporaryDirectory()
        _ = try Self.clip(dir, "song.wav", seconds: 4)
        try Self.write(Self.producerRequest, dir.file("song.request.json"))
        try Self.write(#"{"code": 200, "status": "SUCCESS", "data": [{"clip_id": "p1", "audio_url": "https://x/p1.m4a"}]}"#,
                       dir.file("song.task.json"))
        _ = try Self.clip(dir, "clip-0.wav", seconds: 4)
        _ = try Self.clip(dir, "clip-0 (1).wav", seconds: 4)
        try Self.write(Self.sonicRequest, dir.file("neon.request.json"))
        let answer = Self.sonicAnswer(["4", "4"]).replacingOccurrences(of: "\"state\": \"succeeded\", \"mv\": \"sonic-v4\", \"audio_url\": \"https://cdn.example/clip-1.mp3\"",
                                                                     with: "\"state\": \"failed\", \"mv\": \"sonic-v4\", \"audio_url\": \"\"")
        try Self.write(answer, dir.file("neon.task.json"))
        try Self.write(Self.sonicRequest, dir.file("empty.request.json"))
        try Self.write(#"{"code": 200, "data": []}"#, dir.file("empty.task.json"))
        let tracks = BatchInventory.folder(dir.path)
        let byID = Dictionary(tracks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byID.keys) == ["song", "clip-0", "clip-0 (1)", "empty"], "\(tracks.map(\.id))")
        #expect(byID["song"]?.problem == nil && byID["clip-0"]?.problem == nil)
        #expect(byID["clip-0 (1)"]?.problem?.contains("a second file for clip clip-0") == true)
        #expect(byID["empty"]?.problem?.contains("lists no clips") == true)
        // A second task whose answer names the same clip id: the file cannot be given to one of them.
        try Self.write(Self.sonicRequest, dir.file("again.request.json"))
        try Self.write(Self.sonicAnswer(["4"]), dir.file("again.task.json"))
        let twice = BatchInventory.folder(dir.path).first { $0.id == "clip-0" }
        #expect(twice?.problem?.contains("matches clips of 2 task answers (again.task.json, neon.task.json)") == true)
    }
}
