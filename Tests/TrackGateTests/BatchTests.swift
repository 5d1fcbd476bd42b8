import AudioCore
import AudioIO
import Foundation
import RequestModel
import Synchronization
import Testing
import TrackGate
import TrackGateTestSupport

/// The batch layer without the command line: listing, ids, shards,
/// fingerprints, and the runner's isolation and resume.
@Suite struct BatchTests {
    // MARK: Shards

    @Test func shardsPartitionTheBatchWhateverTheOrder() throws {
        let ids = (0..<1000).map { String(format: "track-%03d", $0) }
        let shards = try (0..<4).map { i throws(ShardError) in try Shard(parsing: "\(i)/4") }
        var seen = Set<String>()
        for shard in shards {
            let mine = ids.filter(shard.contains)
            #expect(seen.isDisjoint(with: mine))
            seen.formUnion(mine)
            // Shares are even: 250 each, within 4 binomial standard deviations (±55).
            #expect(abs(mine.count - 250) < 55, "shard \(shard) has \(mine.count)")
            // Reordering the input changes nothing.
            var rng = SystemRandomNumberGenerator()
            #expect(Set(ids.shuffled(using: &rng).filter(shard.contains)) == Set(mine))
        }
        #expect(seen == Set(ids))
    }

    /// The hash must be the same on every machine and Swift version: pinned to
    /// values computed independently (Python, FNV-1a 64 + SplitMix64 finaliser).
    @Test func shardAssignmentIsPinned() throws {
        #expect(try Shard(parsing: "2/4").contains("track-001"))
        #expect(try Shard(parsing: "2/4").contains("good-1"))
        #expect(try Shard(parsing: "3/4").contains(""))
        #expect(try Shard(parsing: "0/1").contains("anything"))
    }

    @Test func shardSyntaxErrorsSayWhatIsExpected() {
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(throws: ShardError.self) { try Shard(parsing: bad) }
        }
        #expect(throws: ShardError.self) { try Shard(parsing: "4/4") }
        do { _ = try Shard(parsing: "4/4") } catch { #expect(error.description.contains("counts from 0")) }
    }

    // MARK: Ids

    @Test func idsThatWouldEscapeTheOutputFolderAreRejected() {
        for bad in ["../../x", "a/b", "..", ".", "", ".hidden", "-rf", "a\\b", "tab\there", String(repeating: "x", count: 251)] {
            #expect(TrackID.problem(bad) != nil, "\(bad)")
        }
        for good in ["song-01", "Café del Mar", "track.v2", "a..b", String(repeating: "x", count: 250)] {
            #expect(TrackID.problem(good) == nil, "\(good)")
        }
    }

    // MARK: Listing

    @Test func aFolderPairsAudioWithRequestsAndListsMistakes() throws {
        let batch = try MixedBatch()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: batch.file("good-2.task.json")))
        try FileManager.default.createDirectory(atPath: batch.file("sub"), withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: batch.file("sub/inner.wav")))
        let tracks = BatchInventory.collect([batch.tracks])
        #expect(Set(tracks.map(\.id)) == Set(MixedBatch.expected.keys))
        let byID = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, $0) })
        #expect(byID["good-2"]?.task == .file(batch.file("good-2.task.json")))
        #expect(byID["good-1"]?.task == nil && byID["good-1"]?.request == .file(batch.file("good-1.request.json")))
        #expect(byID["no-request"]?.problem?.contains("expected no-request.request.json beside it") == true)
        #expect(byID["lost-audio"]?.problem?.contains("no audio file") == true)
        #expect(tracks.filter { $0.problem != nil }.map(\.id).sorted() == ["lost-audio", "no-request"])
    }

    @Test func manifestLinesTakePathsOrInlineObjectsAndIsolateBadLines() throws {
        let dir = try TemporaryDirectory()
        let request = MixedBatch.request(seconds: 8)
        let lines = [
            #"{"id": "a", "audio": "audio/a.wav", "request": "requests/a.json"}"#,
            #"{"audio": "/abs/b.flac", "request": \#(request), "task": {"task_id": "t", "status": "succeeded"}}"#,
            "",
            #"{"id": "../../x", "audio": "x.wav", "request": "x.json"}"#,
            #"{"id": "c", "audio": "c.wav", "request": "c.json""#,
            #"{"id": "d", "audio": "d.wav", "requets": "d.json"}"#,
            #"{"id": "a", "audio": "other.wav", "request": "o.json"}"#,
            #"["not", "an", "object"]"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let tracks = BatchInventory.collect([dir.file("m.jsonl")])
        #expect(tracks.count == 7)
        #expect(tracks[0].id == "a" && tracks[0].audio == dir.file("audio/a.wav") && tracks[0].request == .file(dir.file("requests/a.json")))
        #expect(tracks[0].problem == nil)
        #expect(tracks[1].id == "b" && tracks[1].audio == "/abs/b.flac" && tracks[1].problem == nil)
        guard case .inline(.object(let inline), let origin, _) = tracks[1].request else { Issue.record("not inline"); return }
        #expect(inline["duration"] == .number(8) && origin == dir.file("m.jsonl") + ":2 request")
        guard case .inline = tracks[1].task else { Issue.record("task not inline"); return }
        #expect(tracks[2].problem?.contains("m.jsonl:4: the id \"../../x\" contains a path separator") == true)
        #expect(tracks[3].problem == dir.file("m.jsonl") + ":5: unexpected end of line at column 50: the object opened at "
            + "column 1 is not closed (is the line cut short?)")
        #expect(tracks[3].problemKind == .json(.notJSON))
        #expect(tracks[4].problem?.contains("unknown key \"requets\"") == true)
        #expect(tracks[4].problem?.contains("\"request\" is missing") == true)
        #expect(tracks[5].problem?.contains("the id \"a\" is already used by \(dir.file("m.jsonl")):1") == true)
        #expect(tracks[6].problem?.contains("expected a JSON object") == true)
    }

    /// A 1,000-line manifest with a line cut in the middle: that line alone is
    /// an error, named with its column; the other 999 are tracks as usual.
    @Test func oneBrokenLineOfAThousand() throws {
        let dir = try TemporaryDirectory()
        var lines = (1...1000).map { #"{"id": "t\#($0)", "audio": "t\#($0).wav", "request": {"type": "bgm", "duration": 30, "description": "d"}}"# }
        lines[499] = #"{"id": "t500", "audio": "t500.wav", "request": {"type": "bgm", "duration": 3"#
        lines[699] = #"{"id": "t700", "audio": "t700.wav", "request": {"type": "bgm", "duration": 30, "duration": 40}}"#
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let tracks = BatchInventory.collect([dir.file("m.jsonl")])
        #expect(tracks.count == 1000)
        let broken = tracks.filter { $0.problem != nil }
        #expect(broken.count == 1)
        #expect(broken.first?.problem == dir.file("m.jsonl") + ":500: unexpected end of line at column 77: "
            + "the object request opened at column 48 is not closed (is the line cut short?)")
        #expect(broken.first?.problemKind == .json(.notJSON))
        // A key twice inside an inline request is a warning the gate will carry, the last value used.
        guard case .inline(let request, _, let warnings) = tracks[699].request else { Issue.record("not inline"); return }
        #expect(request["duration"] == .number(40))
        #expect(warnings.map(\.path) == ["duration"])
        #expect(warnings.first?.message.contains("at column 64 and column 80") == true)
    }

    /// A manifest saved as UTF-16 (as Windows editors do) is read as such.
    @Test func aUTF16ManifestIsRead() throws {
        let dir = try TemporaryDirectory()
        let text = #"{"id": "é1", "audio": "a.wav", "request": "a.json"}"# + "\r\n" + #"{"id": "b", "audio": "b.wav", "request": "b.json"}"#
        try Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            .write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let tracks = BatchInventory.collect([dir.file("m.jsonl")])
        #expect(tracks.map(\.id) == ["é1", "b"])
        #expect(tracks.allSatisfy { $0.problem == nil })
    }

    /// Keys given twice inside an inline request, more than are listed one by
    /// one, still only warn; a stray NUL byte on a line is named as such, the
    /// line is not taken for UTF-16.
    @Test func manifestLineReadingEdgeCases() throws {
        let dir = try TemporaryDirectory()
        let twice = (0..<25).map { #""k\#($0)": 1, "k\#($0)": 2"# }.joined(separator: ", ")
        let lines: [[UInt8]] = [
            Array(#"{"audio": "a.wav", "request": {"type": "bgm", "duration": 30, \#(twice)}}"#.utf8),
            [0x7B, 0x00] + Array(#""audio": "b.wav"}"#.utf8),
        ]
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let tracks = BatchInventory.collect([dir.file("m.jsonl")])
        #expect(tracks[0].problem == nil)
        guard case .inline(_, _, let warnings) = tracks[0].request else { Issue.record("not inline"); return }
        #expect(warnings.count == 20)
        #expect(tracks[1].problem?.contains(":2: unexpected control character U+0000 at column 2") == true, "\(tracks[1].problem ?? "")")
    }

    @Test func aKeyTwiceOnAManifestLineIsRefused() throws {
        let dir = try TemporaryDirectory()
        try Data(#"{"audio": "a.wav", "request": "a.json", "audio": "b.wav"}"#.utf8).write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let tracks = BatchInventory.collect([dir.file("m.jsonl")])
        #expect(tracks.first?.problem?.contains("the key \"audio\" appears twice in one object (at column 2 and column 41): "
            + "a line names one track") == true)
        #expect(tracks.first?.problemKind == .manifestLine)
    }

    @Test func aMissingInputIsOneErrorTrack() {
        let tracks = BatchInventory.collect(["/nonexistent/folder"])
        #expect(tracks.count == 1 && tracks[0].problem == "/nonexistent/folder: no such file or folder")
    }

    // MARK: Fingerprints

    @Test func fingerprintsFollowContentNotNamesOrLayout() throws {
        let dir = try TemporaryDirectory()
        try Data("RIFF-ish bytes".utf8).write(to: URL(fileURLWithPath: dir.file("a.wav")))
        try Data("RIFF-ish bytes".utf8).write(to: URL(fileURLWithPath: dir.file("copy.wav")))
        try Data(#"{"duration": 8, "type": "bgm"}"#.utf8).write(to: URL(fileURLWithPath: dir.file("r.json")))
        let inline = JSONSource.inline(.object(["type": .string("bgm"), "duration": .number(8)]), origin: "m:1")
        let a = try #require(Fingerprint.make(audioPath: dir.file("a.wav"), request: .file(dir.file("r.json")), task: nil, settingsDigest: "s"))
        let b = try #require(Fingerprint.make(audioPath: dir.file("copy.wav"), request: inline, task: nil, settingsDigest: "s"))
        #expect(a == b)
        // SHA-256 of the bytes, as sha256sum computes it.
        let sum = try ExternalTool.run("/usr/bin/sha256sum", [dir.file("a.wav")]).stdout.prefix(64)
        #expect(a.audio == String(sum))
        try Data("other bytes".utf8).write(to: URL(fileURLWithPath: dir.file("copy.wav")))
        let c = try #require(Fingerprint.make(audioPath: dir.file("copy.wav"), request: inline, task: nil, settingsDigest: "t"))
        #expect(c.changes(since: a) == ["the audio changed", "the settings changed"])
        #expect(Fingerprint.make(audioPath: dir.file("none.wav"), request: inline, task: nil, settingsDigest: "s") == nil)
        // The clip of a Sonic or Producer answer the track is judged as.
        let task = JSONSource.inline(.object(["data": .array([])]), origin: "m:1 task")
        let first = try #require(Fingerprint.make(audioPath: dir.file("a.wav"), request: inline, task: task, clip: "c1", settingsDigest: "s"))
        let second = try #require(Fingerprint.make(audioPath: dir.file("a.wav"), request: inline, task: task, clip: "c2", settingsDigest: "s"))
        #expect(second.changes(since: first) == ["the task answer changed"])
    }

    @Test func settingsDigestsDifferForEverySettingThatShapesOutputs() {
        let base = RunSettings(checkOnly: false, finish: FinishSettings(), policy: Policy(), strict: false, force: false)
        var louder = FinishSettings()
        louder.targetLUFS = -16
        var flac = FinishSettings()
        flac.format = .flac16
        let variants = [
            RunSettings(checkOnly: true, finish: FinishSettings(), policy: Policy(), strict: false, force: false),
            RunSettings(checkOnly: false, finish: louder, policy: Policy(), strict: false, force: false),
            RunSettings(checkOnly: false, finish: flac, policy: Policy(), strict: false, force: false),
            RunSettings(checkOnly: false, finish: FinishSettings(), policy: Policy(), strict: true, force: false),
            RunSettings(checkOnly: false, finish: FinishSettings(), policy: Policy(), strict: false, force: true),
        ]
        let digests = Set(([base] + variants).map(\.digest))
        #expect(digests.count == 6)
        #expect(base.digest == RunSettings(checkOnly: false, finish: FinishSettings(), policy: Policy(), strict: false, force: false).digest)
    }

    // MARK: Runner

    /// Collects what the runner delivers, in both orders.
    final class Collector: Sendable {
        let finished = Mutex<[Int]>([])
        let ordered = Mutex<[BatchResult]>([])

        func run(_ runner: BatchRunner, _ tracks: [BatchTrack], cancellation: BatchCancellation = BatchCancellation()) -> [BatchResult] {
            runner.run(tracks, cancellation: cancellation,
                       finished: { r in self.finished.withLock { $0.append(r.index) } },
                       ordered: { r in self.ordered.withLock { $0.append(r) } })
            return ordered.withLock { $0 }
        }
    }

    static func runner(_ out: String?, jobs: Int = 2, finish: FinishSettings? = FinishSettings()) -> BatchRunner {
        BatchRunner(gate: Gate(), finisher: Finisher(settings: finish ?? FinishSettings()), checkOnly: finish == nil,
                    outputDirectory: out, jobs: jobs)
    }

    @Test func aMixedBatchGivesEveryTrackItsVerdictAndGoesOn() throws {
        let batch = try MixedBatch()
        let out = batch.dir.file("out")
        let tracks = BatchInventory.collect([batch.tracks])
        let results = Collector().run(Self.runner(out), tracks)
        #expect(results.map(\.index) == Array(tracks.indices))
        #expect(results.map(\.id) == tracks.map(\.id))
        for r in results {
            #expect(r.verdict.rawValue == MixedBatch.expected[r.id], "\(r.id): \(r.verdict) \(r.error ?? "") \(r.problems)")
            #expect(r.resume == .fresh)
            // Every report line is a whole JSON object naming its track.
            let json = try JSONSerialization.jsonObject(with: r.reportJSON) as? [String: Any]
            #expect(json?["id"] as? String == r.id && json?["verdict"] as? String == r.verdict.rawValue)
        }
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0) })
        #expect(byID["corrupt"]?.exitStatus == .unreadable && byID["bad-json"]?.exitStatus == .unreadable)
        #expect(byID["silent"]?.exitStatus == .failed && byID["good-1"]?.exitStatus == .success)
        #expect(byID["nan-float"]?.problems.contains { $0.id == .nonFinite && $0.status == .fail } == true)
        #expect(byID["corrupt"]?.error?.contains("corrupt.wav") == true)
        // Audio only for the tracks that passed; a sidecar for every track that
        // was run (listing mistakes have theirs in the batch reports only).
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files.filter { $0.hasSuffix(".wav") } == ["good-1.wav", "good-2.wav", "good-3.wav"])
        #expect(files.filter { $0.hasSuffix(".json") } == ["bad-json.json", "corrupt.json", "good-1.json", "good-2.json",
                                                            "good-3.json", "nan-filled.json", "nan-float.json", "silent.json"])
        #expect(byID["nan-filled"]?.problems.map(\.id).contains(.nonFinite) == true)
        #expect(!files.contains { $0.hasPrefix(".") })
    }

    @Test func aRerunSkipsCurrentTracksAndRedoesChangedOnes() throws {
        let batch = try MixedBatch(goodCount: 3, broken: false)
        let out = batch.dir.file("out")
        let tracks = BatchInventory.collect([batch.tracks])
        let first = Collector().run(Self.runner(out), tracks)
        #expect(first.allSatisfy { $0.verdict == .pass && $0.resume == .fresh })
        let written = try Data(contentsOf: URL(fileURLWithPath: "\(out)/good-2.wav"))

        // Same inputs, same settings: nothing is redone, and the reports are the earlier ones.
        let second = Collector().run(Self.runner(out), tracks)
        #expect(second.allSatisfy { $0.resume == .current })
        #expect(second.map(\.verdict) == first.map(\.verdict))
        let reread = try JSONSerialization.jsonObject(with: second[1].reportJSON) as? [String: Any]
        #expect((reread?["output"] as? [String: Any])?["audio"] as? String == "\(out)/good-2.wav")

        // A new download of good-2, a changed request for good-3, a lost output of good-1.
        try Data(contentsOf: URL(fileURLWithPath: batch.file("good-1.wav"))).write(to: URL(fileURLWithPath: batch.file("good-2.wav")))
        try Data(MixedBatch.request(seconds: 8).replacingOccurrences(of: "Batch test", with: "Changed").utf8)
            .write(to: URL(fileURLWithPath: batch.file("good-3.request.json")))
        try FileManager.default.removeItem(atPath: "\(out)/good-1.wav")
        let third = Collector().run(Self.runner(out), tracks)
        #expect(third.map(\.resume) == [.redone(["its audio output is missing"]), .redone(["the audio changed"]),
                                        .redone(["the request changed"])])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/good-2.wav")) != written)

        // New settings redo everything; --check-only reports only.
        var flac = FinishSettings()
        flac.format = .flac16
        let fourth = Collector().run(Self.runner(out, finish: flac), tracks)
        #expect(fourth.allSatisfy { $0.resume == .redone(["the settings changed"]) && $0.verdict == .pass })
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["good-1.flac", "good-1.json", "good-2.flac", "good-2.json", "good-3.flac", "good-3.json"],
                "the WAVs of the earlier settings are gone with the reports that described them")
    }

    /// What `kill -9` leaves: temporaries under hidden names and no sidecar for
    /// the track being written. The rerun removes them and redoes the track.
    @Test func aRunKilledMidTrackIsFinishedByTheRerun() throws {
        let batch = try MixedBatch(goodCount: 2, broken: false)
        let out = batch.dir.file("out")
        let tracks = BatchInventory.collect([batch.tracks])
        _ = Collector().run(Self.runner(out), tracks)
        // good-2 was being written when the process died.
        try FileManager.default.removeItem(atPath: "\(out)/good-2.json")
        try FileManager.default.removeItem(atPath: "\(out)/good-2.wav")
        try Data(repeating: 1, count: 1000).write(to: URL(fileURLWithPath: "\(out)/.good-2.wav.Ab12Cd.partial"))
        try Data(repeating: 1, count: 10).write(to: URL(fileURLWithPath: "\(out)/.other-shard.wav.Zz99Yy.partial"))
        let rerun = Collector().run(Self.runner(out), tracks)
        #expect(rerun.map(\.resume) == [.current, .fresh])
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == [".other-shard.wav.Zz99Yy.partial", "good-1.json", "good-1.wav", "good-2.json", "good-2.wav"])
    }

    @Test func cancellationFinishesStartedTracksAndDeliversThemInOrder() throws {
        let batch = try MixedBatch(goodCount: 6, seconds: 4, broken: false)
        let tracks = BatchInventory.collect([batch.tracks])
        let cancellation = BatchCancellation()
        let collector = Collector()
        let runner = Self.runner(nil, jobs: 2, finish: nil)
        let results = Mutex<[BatchResult]>([])
        runner.run(tracks, cancellation: cancellation,
                   finished: { _ in cancellation.cancel() },
                   ordered: { r in results.withLock { $0.append(r) } })
        _ = collector
        let delivered = results.withLock { $0 }
        // The first finished track cancels; at most the two started ones finish.
        #expect((1...2).contains(delivered.count))
        #expect(delivered.map(\.index) == Array(0..<delivered.count))
    }

    /// Writing a report (the `ordered` callback) does not hold up the other
    /// workers: while the first report takes 0.5 s, the other job finishes
    /// tracks; and reports still arrive one at a time, in listing order.
    @Test func reportsAreWrittenWhileTheOtherWorkersGoOn() throws {
        let batch = try MixedBatch(goodCount: 8, seconds: 2, broken: false)
        let tracks = BatchInventory.collect([batch.tracks])
        struct Log { var finishedAt: [Double] = []; var firstReport: (start: Double, end: Double)?; var order: [Int] = []; var inside = 0; var overlapped = false }
        let log = Mutex(Log())
        let clock: @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        Self.runner(nil, jobs: 2, finish: nil).run(tracks, finished: { _ in
            log.withLock { $0.finishedAt.append(clock()) }
        }, ordered: { r in
            let start = clock()
            let first = log.withLock { l -> Bool in
                l.inside += 1
                if l.inside > 1 { l.overlapped = true }
                l.order.append(r.index)
                return l.firstReport == nil
            }
            if first { Thread.sleep(forTimeInterval: 0.5) }
            log.withLock { l in
                l.inside -= 1
                if first { l.firstReport = (start, clock()) }
            }
        })
        let result = log.withLock { $0 }
        let window = try #require(result.firstReport)
        #expect(result.finishedAt.contains { $0 > window.start && $0 < window.end },
                "no track finished while the first report was written: the workers waited for it")
        #expect(result.order == Array(0..<tracks.count) && !result.overlapped)
    }

    @Test func checkOnlyWithoutAnOutputFolderWritesNothing() throws {
        let batch = try MixedBatch(goodCount: 2, broken: false)
        let before = try FileManager.default.contentsOfDirectory(atPath: batch.tracks).sorted()
        let results = Collector().run(Self.runner(nil, jobs: 1, finish: nil), BatchInventory.collect([batch.tracks]))
        #expect(results.map(\.verdict) == [.pass, .pass])
        #expect(try FileManager.default.contentsOfDirectory(atPath: batch.tracks).sorted() == before)
    }
}
