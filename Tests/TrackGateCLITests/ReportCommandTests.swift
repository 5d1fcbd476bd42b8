import Foundation
import FoundationXML
import Testing
import TrackGateTestSupport

/// `trackgate report` after a job array: the shards' outputs must end in the
/// answer one `batch` gives (ids, verdicts, delivery bytes, exit code), also
/// when a shard was killed mid-run and retried.
@Suite struct ReportCommandTests {
    /// Delivery dates from the environment, so runs at different moments write the same bytes.
    static let reproducible = ["SOURCE_DATE_EPOCH": "1700000000"]

    static func verdicts(_ jsonl: String) throws -> [(id: String, verdict: String)] {
        try CLI.jsonLines(try String(contentsOfFile: jsonl, encoding: .utf8)).map {
            (try #require($0["id"] as? String), try #require($0["verdict"] as? String))
        }
    }

    @Test func shardsOfWhichOneWasKilledEndInTheSingleRunsAnswer() throws {
        let batch = try MixedBatch(goodCount: 6, seconds: 20)
        let single = batch.dir.file("single"), shards = batch.dir.file("shards")
        let one = try CLI.run(["batch", batch.tracks, "--out", single, "--report", batch.dir.file("single.jsonl"),
                               "--junit", batch.dir.file("single.xml"), "--quiet"], environment: Self.reproducible)
        #expect(one.status == 2, "\(one.stderr)")

        // Shard 1 of 3 is killed (kill -9) once it has finished a track, then retried.
        let shard1 = ["batch", batch.tracks, "--out", shards, "--shard", "1/3", "--jobs", "1", "--quiet"]
        let killed = try BatchCommandTests.start(shard1, environment: Self.reproducible)
        func sidecars() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? []).filter { $0.hasSuffix(".json") }.count }
        while killed.isRunning && sidecars() == 0 { Thread.sleep(forTimeInterval: 0.005) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal, "the shard had finished before the kill")
        try BatchCommandTests.expectOnlyCompleteFiles(in: shards)
        let partial = try CLI.run(["report", shards, "--inputs", batch.tracks, "--quiet", "--no-page"])
        #expect(partial.status == 2)
        for i in 0..<3 {
            let run = try CLI.run(i == 1 ? shard1 : ["batch", batch.tracks, "--out", shards, "--shard", "\(i)/3", "--quiet"],
                                  environment: Self.reproducible)
            #expect([0, 1, 2].contains(run.status), "\(run.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: shards)
        #expect(!files.contains("index.html"), "a shard must not write the batch's page")
        #expect((0..<3).allSatisfy { files.contains("index-shard-\($0)-of-3.html") })

        let merged = try CLI.run(["report", shards, "--inputs", batch.tracks, "--report", batch.dir.file("merged.jsonl"),
                                  "--junit", batch.dir.file("merged.xml")])
        #expect(merged.status == one.status, "\(merged.stdout)\(merged.stderr)")
        let expected = try Self.verdicts(batch.dir.file("single.jsonl")).sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let got = try Self.verdicts(batch.dir.file("merged.jsonl"))
        #expect(got.map(\.id) == expected.map(\.id), "ordered by id, every track once")
        #expect(got.map(\.verdict) == expected.map(\.verdict))
        #expect(merged.stdout.contains("\(expected.count) tracks from \(sidecars()) reports in \(shards)"), "\(merged.stdout)")

        // The deliveries are the single run's, byte for byte, and there are no others.
        let audio = { (folder: String) in try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".wav") }.sorted() }
        #expect(try audio(shards) == audio(single) && !(try audio(single)).isEmpty)
        for name in try audio(single) {
            #expect(FileManager.default.contentsEqual(atPath: "\(single)/\(name)", andPath: "\(shards)/\(name)"), "\(name) differs")
        }
        let junit = try XMLDocument(contentsOf: URL(fileURLWithPath: batch.dir.file("merged.xml")))
        #expect(try junit.nodes(forXPath: "//testcase").count == expected.count)
        #expect(try junit.nodes(forXPath: "//testcase/error").count == expected.filter { $0.verdict == "error" }.count)
        let page = try String(contentsOfFile: "\(shards)/index.html", encoding: .utf8)
        for (id, _) in expected { #expect(page.contains("[\"\(id)\","), "the page lacks \(id)") }
    }

    @Test func exitCodesFollowTheBatchRule() throws {
        let batch = try MixedBatch(goodCount: 2, broken: false)
        let out = batch.dir.file("out")
        for i in 0..<2 { _ = try CLI.run("batch", batch.tracks, "--check-only", "--out", out, "--shard", "\(i)/2", "--quiet") }
        #expect(try CLI.run("report", out, "--inputs", batch.tracks, "--quiet").status == 0)
        // A track that now fails (asked for 30 s, 8 s delivered), rechecked by its shard.
        try Data(MixedBatch.request(seconds: 30).utf8).write(to: URL(fileURLWithPath: batch.file("good-2.request.json")))
        for i in 0..<2 { _ = try CLI.run("batch", batch.tracks, "--check-only", "--out", out, "--shard", "\(i)/2", "--quiet") }
        let failed = try CLI.run("report", out, "--inputs", batch.tracks, "--json")
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(try CLI.jsonLines(failed.stdout).map { $0["id"] as? String } == ["good-1", "good-2"], "--json: the reports, by id")
        #expect(failed.stderr.contains("2 tracks from 2 reports"), "the summary goes to standard error with --json")
        // A shard's reports lost: exit 2, and the track is named.
        try FileManager.default.removeItem(atPath: "\(out)/good-1.json")
        let lost = try CLI.run("report", out, "--inputs", batch.tracks)
        #expect(lost.status == 2 && lost.stdout.contains("error  good-1: no report for this track"), "\(lost.stdout)")
    }

    @Test func wrongFoldersAndOptionsAreSaid() throws {
        let dir = try TemporaryDirectory("trackgate-report")
        let absent = try CLI.run("report", dir.file("absent"))
        #expect(absent.status == 2 && absent.stderr.contains("\(dir.file("absent")): no such folder"), "\(absent.stderr)")
        let empty = try CLI.run("report", dir.path)
        #expect(empty.status == 2 && empty.stderr.contains("no track reports in \(dir.path)"), "\(empty.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("index.html")), "nothing written for nothing found")
        #expect(try CLI.run("report").status == 64)
        #expect(try CLI.run("report", dir.path, "--page", "p.html", "--no-page").status == 64)
        #expect(try CLI.run("report", dir.path, "--report", "a.jsonl", "--junit", "a.jsonl").status == 64)
    }

    @Test func outputFolderFirstAndNeverAnInput() throws {
        let batch = try MixedBatch(goodCount: 1, broken: false)
        let out = batch.dir.file("out")
        _ = try CLI.run("batch", batch.tracks, "--check-only", "--out", out, "--quiet")
        let swallowed = try CLI.run("report", "--inputs", batch.tracks, out)
        #expect(swallowed.status == 64 && swallowed.stderr.contains("give the batch's output folder before --inputs"), "\(swallowed.stderr)")
        let input = try CLI.run("report", batch.tracks, "--inputs", batch.tracks)
        #expect(input.status == 64 && input.stderr.contains("is the input folder"), "\(input.stderr)")
        #expect(!FileManager.default.fileExists(atPath: batch.file("index.html")), "nothing written into the inputs")
        let folderPage = try CLI.run("report", out, "--page", batch.dir.path)
        #expect(folderPage.status == 64 && folderPage.stderr.contains("is a folder: give a file name"), "\(folderPage.stderr)")
        let one = try CLI.run("report", out, "--page", batch.dir.file("summary/index.html"))
        #expect(one.status == 0 && one.stdout.hasPrefix("1 track from 1 report in \(out)"), "\(one.stdout)")
        let page = try String(contentsOfFile: batch.dir.file("summary/index.html"), encoding: .utf8)
        #expect(page.contains("\"../out/good-1.svg\""), "the picture linked from the page's folder")
    }

    /// A malformed SOURCE_DATE_EPOCH is refused before any work (the
    /// specification asks for an error, not the current time in its place).
    @Test func aMalformedSourceDateEpochIsAUsageError() throws {
        let batch = try MixedBatch(goodCount: 1, broken: false)
        for command in [["batch", batch.tracks, "--out", batch.dir.file("out")], ["report", batch.dir.file("out")],
                        ["process", batch.file("good-1.wav"), "--request", batch.file("good-1.request.json"), "--out", batch.dir.file("p")]] {
            let result = try CLI.run(command, environment: ["SOURCE_DATE_EPOCH": "1.7e9"])
            #expect(result.status == 64 && result.stderr.contains("SOURCE_DATE_EPOCH=1.7e9 is not a whole number of seconds"),
                    "\(command[0]): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: batch.dir.file("out")) && !FileManager.default.fileExists(atPath: batch.dir.file("p")))
    }

    /// The hint a shard prints can be pasted into a shell as it is.
    @Test func theShardsHintIsACommandToPaste() throws {
        let batch = try MixedBatch(goodCount: 4, broken: false)
        let out = batch.dir.file("out dir's")
        let hint = "trackgate report '\(batch.dir.path)/out dir'\\''s' --inputs \(batch.tracks) gives"
        for i in 0..<2 {
            let run = try CLI.run("batch", batch.tracks, "--check-only", "--out", out, "--shard", "\(i)/2")
            #expect(run.stdout.contains(hint) || run.stdout.hasPrefix("no tracks"), "\(run.stdout)")
        }
    }
}
