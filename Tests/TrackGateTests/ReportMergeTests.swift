import AudioIO
import Foundation
import Synchronization
import Testing
import TrackGate
import TrackGateTestSupport

/// `ReportMerge`: the batch's answer from the sidecars its shards wrote must
/// be the answer one run gives, and must show what is missing or contradictory.
@Suite struct ReportMergeTests {
    /// Runs `batch --check-only` over `tracks` into `out` (only `shard`'s share),
    /// returning the results in listing order.
    @discardableResult
    static func run(_ tracks: [BatchTrack], into out: String, shard: Shard = .all, strict: Bool = false) -> [BatchResult] {
        let runner = BatchRunner(gate: Gate(strict: strict), checkOnly: true, outputDirectory: out, jobs: 2)
        let results = Mutex<[BatchResult]>([])
        runner.run(tracks.filter { shard.contains($0.id) }, ordered: { r in results.withLock { $0.append(r) } })
        return results.withLock { $0 }
    }

    static func sorted(_ results: [BatchResult]) -> [BatchResult] {
        results.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    @Test func shardsMergeToWhatOneRunGives() throws {
        let batch = try MixedBatch()
        let listed = BatchInventory.collect([batch.tracks])
        let single = Self.sorted(Self.run(listed, into: batch.dir.file("single")))
        for i in 0..<3 { Self.run(listed, into: batch.dir.file("shards"), shard: try Shard(parsing: "\(i)/3")) }

        let merged = try ReportMerge.merge(folders: [batch.dir.file("shards")], expected: listed)
        #expect(merged.tracks.map(\.result.id) == single.map(\.id))
        #expect(merged.tracks.map(\.result.verdict) == single.map(\.verdict))
        #expect(merged.tracks.map(\.result.exitStatus) == single.map(\.exitStatus))
        #expect(merged.tracks.map(\.result.errorKind) == single.map(\.errorKind))
        #expect(merged.summary.exitStatus == .unreadable && merged.notes.isEmpty, "\(merged.notes)")
        // The full reports are the single run's, line for line.
        for (track, one) in zip(merged.tracks, single) {
            #expect(try track.reportLine() == one.reportJSON, "\(one.id)")
        }
        // Listing mistakes have no sidecar: they come from the listing, as in batch.
        let lost = try #require(merged.tracks.first { $0.result.id == "lost-audio" })
        #expect(lost.sidecar == nil && lost.result.errorKind == "missing")
        for (id, verdict) in MixedBatch.expected {
            #expect(merged.tracks.first { $0.result.id == id }?.result.verdict.rawValue == verdict, "\(id)")
        }
    }

    @Test func aListedTrackWithoutAReportIsAnError() throws {
        let batch = try MixedBatch(goodCount: 3, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        Self.run(listed, into: out)
        #expect(try ReportMerge.merge(folders: [out], expected: listed).summary.exitStatus == .success)
        try FileManager.default.removeItem(atPath: "\(out)/good-2.json")

        let merged = try ReportMerge.merge(folders: [out], expected: listed)
        let lost = try #require(merged.tracks.first { $0.result.id == "good-2" })
        #expect(lost.result.verdict == .error && lost.result.errorKind == "no_report" && lost.sidecar == nil)
        #expect(lost.result.error?.contains("no report for this track in \(out)") == true)
        #expect(merged.summary.exitStatus == .unreadable, "a lost shard must not pass")
        // Without the inputs, nothing says the track was expected.
        let found = try ReportMerge.merge(folders: [out], expected: nil)
        #expect(found.tracks.map(\.result.id) == ["good-1", "good-3"] && found.summary.exitStatus == .success)
    }

    @Test func aTrackInTwoFoldersCountsOnceUnlessTheyDisagree() throws {
        let batch = try MixedBatch(goodCount: 2, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let a = batch.dir.file("a"), b = batch.dir.file("b")
        Self.run(listed, into: a)
        Self.run(listed, into: b)
        let same = try ReportMerge.merge(folders: [a, b], expected: listed)
        #expect(same.tracks.count == 2 && same.summary.exitStatus == .success)
        #expect(same.tracks.allSatisfy { $0.sidecar?.hasPrefix(a) == true }, "the first folder's copy is taken")
        #expect(same.notes == ["2 tracks reported in more than one folder with the same result: counted once"])

        // Folder b's good-1 was made from another request.
        try Data(MixedBatch.request(seconds: 30).utf8).write(to: URL(fileURLWithPath: batch.file("good-1.request.json")))
        Self.run(BatchInventory.collect([batch.tracks]), into: b)
        let merged = try ReportMerge.merge(folders: [a, b], expected: listed)
        let conflict = try #require(merged.tracks.first { $0.result.id == "good-1" })
        #expect(conflict.result.verdict == .error && conflict.result.errorKind == "conflicting_reports")
        let message = try #require(conflict.result.error)
        #expect(message.contains("\(a)/good-1.json (pass)") && message.contains("\(b)/good-1.json (fail, the request changed)"), "\(message)")
        #expect(merged.summary.exitStatus == .unreadable)
        #expect(merged.tracks.first { $0.result.id == "good-2" }?.result.verdict == .pass)
    }

    @Test func otherFilesAndUnlistedTracksAreLeftOutAndSaid() throws {
        let batch = try MixedBatch(goodCount: 3, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        Self.run(listed, into: out)
        // A track dropped from the inputs since, a JSON file that is no report,
        // a report copied under another name, and a run still writing.
        try FileManager.default.removeItem(atPath: batch.file("good-3.wav"))
        try FileManager.default.removeItem(atPath: batch.file("good-3.request.json"))
        try Data("{\"a\": 1}".utf8).write(to: URL(fileURLWithPath: "\(out)/notes.json"))
        try FileManager.default.copyItem(atPath: "\(out)/good-1.json", toPath: "\(out)/copy.json")
        try Data().write(to: URL(fileURLWithPath: "\(out)/.good-2.wav.ABC123.partial"))

        let merged = try ReportMerge.merge(folders: [out], expected: BatchInventory.collect([batch.tracks]))
        #expect(merged.tracks.map(\.result.id) == ["good-1", "good-2"] && merged.reportsRead == 3)
        #expect(merged.notes.contains("2 JSON files are not a track report (\(out)/copy.json, \(out)/notes.json): skipped"), "\(merged.notes)")
        #expect(merged.notes.contains { $0.hasPrefix("1 report for tracks the inputs do not list (good-3)") }, "\(merged.notes)")
        #expect(merged.notes.contains { $0.hasPrefix("1 unfinished file (hidden .partial) in \(out)") }, "\(merged.notes)")
        #expect(merged.summary.exitStatus == .success)
    }

    /// A report does not carry `unreadable`: its exit code comes from
    /// `error_kind`, as `batch` gave it (2 for what could not be read, 1 for a
    /// request that says nothing usable).
    @Test func errorReportsKeepTheirExitCodes() throws {
        let batch = try MixedBatch(goodCount: 1, broken: true)
        try Data(#"{"type": "bgm", "version": "v1.0"}"#.utf8).write(to: URL(fileURLWithPath: batch.file("good-1.request.json")))
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        let single = Self.run(listed, into: out)
        let merged = try ReportMerge.merge(folders: [out], expected: nil)
        #expect(!merged.tracks.isEmpty)
        for track in merged.tracks {
            let one = try #require(single.first { $0.id == track.result.id })
            #expect(track.result.exitStatus == one.exitStatus, "\(one.id): \(one.errorKind ?? "")")
        }
        #expect(merged.tracks.first { $0.result.id == "good-1" }?.result.exitStatus == .failed, "invalid_request exits 1")
        #expect(merged.tracks.first { $0.result.id == "corrupt" }?.result.exitStatus == .unreadable)
    }

    @Test func reportsMadeWithOtherSettingsAreNamed() throws {
        let batch = try MixedBatch(goodCount: 4, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        let shard = try Shard(parsing: "1/2")
        Self.run(listed, into: out, shard: try Shard(parsing: "0/2"))
        Self.run(listed, into: out, shard: shard, strict: true)
        let strict = listed.map(\.id).filter(shard.contains).sorted()
        let other = listed.map(\.id).filter { !shard.contains($0) }.sorted()
        try #require(!strict.isEmpty && !other.isEmpty)
        let merged = try ReportMerge.merge(folders: [out], expected: listed)
        let ordered: [[String]] = [strict, other].sorted { (a: [String], b: [String]) -> Bool in
            a.count != b.count ? a.count > b.count : a[0] < b[0]
        }
        let groups: [String] = ordered.map { (ids: [String]) -> String in
            "\(ids.count) track\(ids.count == 1 ? "" : "s") (\(ids.joined(separator: ", ")))"
        }
        let expected = "the reports were made with 2 different settings (mode, finishing options, policy or version): "
            + groups.joined(separator: ", ") + "; rerun the shards whose settings are not the batch's"
        #expect(merged.notes == [expected])
    }

    @Test func aFolderThatCannotBeReadIsAnError() throws {
        let dir = try TemporaryDirectory("trackgate-merge")
        #expect(throws: ReportMergeError.self) { try ReportMerge.merge(folders: [dir.file("absent")], expected: nil) }
        try Data().write(to: URL(fileURLWithPath: dir.file("file")))
        do {
            _ = try ReportMerge.merge(folders: [dir.file("file")], expected: nil)
            Issue.record("a file is not a folder")
        } catch {
            #expect(error.description.contains("not a folder"))
        }
        #expect(try ReportMerge.merge(folders: [dir.path], expected: nil).tracks.isEmpty)
    }

    /// A damaged report is a track in error, never a track that vanishes or
    /// one said to be missing: cut short, edited into something else, or saved
    /// by an editor with a byte order mark or as UTF-16.
    @Test func aDamagedReportIsAnErrorSayingWhy() throws {
        let batch = try MixedBatch(goodCount: 4, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        Self.run(listed, into: out)
        let good3 = try Data(contentsOf: URL(fileURLWithPath: "\(out)/good-3.json"))
        try Data(good3.prefix(200)).write(to: URL(fileURLWithPath: "\(out)/good-1.json"))
        let edited = String(decoding: good3, as: UTF8.self).replacingOccurrences(of: "\"good-3\"", with: "\"good-2\"")
            .replacingOccurrences(of: "\"verdict\" : \"pass\"", with: "\"verdict\" : \"passed\"")
        try Data(edited.utf8).write(to: URL(fileURLWithPath: "\(out)/good-2.json"))
        try (Data([0xEF, 0xBB, 0xBF]) + good3).write(to: URL(fileURLWithPath: "\(out)/good-3.json"))
        let utf16 = try #require(String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(out)/good-4.json")), as: UTF8.self)
            .data(using: .utf16LittleEndian))
        try utf16.write(to: URL(fileURLWithPath: "\(out)/good-4.json"))

        for expected in [listed, nil] {
            let merged = try ReportMerge.merge(folders: [out], expected: expected)
            #expect(merged.tracks.map(\.result.id) == ["good-1", "good-2", "good-3", "good-4"])
            #expect(merged.tracks.allSatisfy { $0.result.errorKind == "broken_report" && $0.result.exitStatus == .unreadable })
            let errors = merged.tracks.map { $0.result.error ?? "" }
            #expect(errors[0].hasPrefix("\(out)/good-1.json: not a readable track report: unexpected end of file at line "), "\(errors[0])")
            #expect(errors[1].hasSuffix("verdict \"passed\" is not one of pass, warn, fail, error; rerun the track's shard to write it again"),
                    "\(errors[1])")
            #expect(errors[2].contains("it is JSON, but not UTF-8 as batch writes it (a byte order mark, or UTF-16"), "\(errors[2])")
            #expect(errors[3].contains("it is JSON, but not UTF-8 as batch writes it"), "\(errors[3])")
        }
    }

    @Test func aFolderNamedTwiceIsReadOnce() throws {
        let batch = try MixedBatch(goodCount: 2, broken: false)
        let out = batch.dir.file("out")
        Self.run(BatchInventory.collect([batch.tracks]), into: out)
        let merged = try ReportMerge.merge(folders: [out, "\(out)/", "\(out)/../out"], expected: nil)
        #expect(merged.tracks.count == 2 && merged.reportsRead == 2 && merged.notes.isEmpty, "\(merged.notes)")
    }

    /// The shards' pages tell how the batch was split: a shard that wrote none
    /// is named, and so is the shard of each track without a report.
    @Test func aShardThatDidNotEndIsNamed() throws {
        let batch = try MixedBatch(goodCount: 6, broken: false)
        let listed = BatchInventory.collect([batch.tracks])
        let out = batch.dir.file("out")
        let lost = try Shard(parsing: "2/3")
        try #require(listed.contains { lost.contains($0.id) })
        for i in 0..<2 {
            let shard = try Shard(parsing: "\(i)/3")
            Self.run(listed, into: out, shard: shard)
            try Data("<!DOCTYPE html>".utf8).write(to: URL(fileURLWithPath: "\(out)/\(BatchIndexPage.fileName(for: shard))"))
        }
        let merged = try ReportMerge.merge(folders: [out], expected: listed)
        for track in merged.tracks where lost.contains(track.result.id) {
            #expect(track.result.errorKind == "no_report" && track.result.error?.contains("its shard (2/3) has not run") == true)
        }
        #expect(merged.notes.contains { $0.hasPrefix("no page of shard 2/3 (index-shard-I-of-3.html, written when a shard ends)") },
                "\(merged.notes)")
        let found = try ReportMerge.merge(folders: [out], expected: nil)
        #expect(found.notes.contains { $0.hasPrefix("no page of shard 2/3") && $0.hasSuffix("Give --inputs to name their tracks.") })
        #expect(BatchIndexPage.shard(ofPageNamed: "index-shard-2-of-3.html") == lost)
        for name in ["index.html", "index-shard-3-of-3.html", "index-shard-0-of-1.html", "index-shard-x-of-3.html", "index-shard-1-of-3.htm"] {
            #expect(BatchIndexPage.shard(ofPageNamed: name) == nil, "\(name)")
        }
    }
}
