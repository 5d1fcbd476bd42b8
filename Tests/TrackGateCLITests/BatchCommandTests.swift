import AudioCore
import AudioIO
import Foundation
import FoundationXML
import Testing
import TrackGateTestSupport

/// `trackgate batch` as CI and job arrays run it: exit codes, report files,
/// shards, path safety, and what `kill -9` and Ctrl-C leave behind.
@Suite struct BatchCommandTests {
    /// Starts the binary without waiting, for signals.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func reportIDs(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try CLI.jsonLines(text).map { try #require($0["id"] as? String) }
    }

    /// Every file under a final name in `folder` is whole: audio decodes to the
    /// end, reports parse. Hidden temporaries are the only other files.
    static func expectOnlyCompleteFiles(in folder: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasPrefix(".") {
            let path = "\(folder)/\(name)"
            if name.hasSuffix(".json") {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) is not whole JSON")
            } else if name.hasSuffix(".jsonl") {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect((try? CLI.jsonLines(text)) != nil, "\(name) is not whole JSON Lines")
            } else if name.hasSuffix(".svg") {
                #expect((try? XMLDocument(contentsOf: URL(fileURLWithPath: path))) != nil, "\(name) is not whole XML")
            } else if name.hasSuffix(".html") {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                #expect(text.hasSuffix("</html>\n"), "\(name) is not whole")
            } else {
                var file = try SoundFile(path: path)
                var block = AudioBlock(channelCount: file.info.channelCount, capacity: 65_536)
                var frames = 0
                while try file.read(into: &block) { frames += block.frameCount }
                #expect(frames == file.info.frameCount && frames > 0, "\(name): \(frames) of \(file.info.frameCount) frames")
            }
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix(".") {
            #expect(name.hasSuffix(".partial"), "unexpected hidden file \(name)")
        }
    }

    @Test func aMixedBatchReportsEveryTrackAndExitsWithTheWorstCode() throws {
        let batch = try MixedBatch()
        let out = batch.dir.file("out")
        let result = try CLI.run("batch", batch.tracks, "--out", out, "--report", batch.dir.file("r/report.jsonl"),
                                 "--junit", batch.dir.file("r/junit.xml"), "--jobs", "2")
        #expect(result.status == 2, "an unreadable track makes the exit code 2\n\(result.stdout)\(result.stderr)")
        // Listing order: folder tracks by name, then requests with no audio.
        let ids = try Self.reportIDs(batch.dir.file("r/report.jsonl"))
        #expect(ids == ["bad-json", "corrupt", "good-1", "good-2", "good-3", "nan-filled", "nan-float", "no-request", "silent",
                       "lost-audio"])
        let lines = try CLI.jsonLines(String(contentsOfFile: batch.dir.file("r/report.jsonl"), encoding: .utf8))
        for line in lines {
            let id = try #require(line["id"] as? String)
            #expect(line["verdict"] as? String == MixedBatch.expected[id], "\(id)")
        }
        // People get a line for each track that did not pass, and the table.
        #expect(result.stdout.contains("fail   silent: leading_silence: the whole track is silent"), "\(result.stdout)")
        #expect(result.stdout.contains("error  no-request: \(batch.file("no-request.wav")): no request"))
        #expect(result.stdout.contains("10 of 10 tracks in"))
        #expect(result.stdout.contains("  pass        3\n  warn        0\n  fail        3\n  error       4"))
        #expect(result.stdout.contains("most common failing checks:"))

        // The JUnit file parses as XML and agrees with the report.
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: batch.dir.file("r/junit.xml")))
        let suites = try #require(xml.rootElement())
        #expect(suites.name == "testsuites" && suites.attribute(forName: "tests")?.stringValue == "10")
        #expect(suites.attribute(forName: "failures")?.stringValue == "3" && suites.attribute(forName: "errors")?.stringValue == "4")
        let cases = try xml.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        #expect(cases.compactMap { $0.attribute(forName: "name")?.stringValue } == ids)
        let failed = try xml.nodes(forXPath: "//testcase[failure]/@name").compactMap(\.stringValue)
        #expect(failed.sorted() == ["nan-filled", "nan-float", "silent"])
        let errored = try xml.nodes(forXPath: "//testcase[error]/@name").compactMap(\.stringValue)
        #expect(errored.sorted() == ["bad-json", "corrupt", "lost-audio", "no-request"])
        let type = try xml.nodes(forXPath: "//testcase[@name='bad-json']/error/@type").first?.stringValue
        #expect(type == "not_json")
        let message = try xml.nodes(forXPath: "//testcase[@name='bad-json']/error/@message").first?.stringValue
        #expect(message?.hasSuffix("bad-json.request.json: unexpected end of file at line 1, column 17: the object "
            + "opened at line 1, column 1 is not closed (is the file cut short?)") == true,
                "\(message ?? "")")

        // --json: the same lines on standard output; --check-only writes no audio.
        let json = try CLI.run("batch", batch.tracks, "--check-only", "--json", "--quiet")
        #expect(json.status == 2 && json.stderr.isEmpty)
        #expect(try CLI.jsonLines(json.stdout).compactMap { $0["id"] as? String } == ids)
    }

    @Test func theSharesOfAShardedBatchAreDisjointAndCoverIt() throws {
        let batch = try MixedBatch()
        var seen: [String] = []
        for i in 0..<3 {
            let report = batch.dir.file("shard-\(i).jsonl")
            let r = try CLI.run("batch", batch.tracks, "--check-only", "--shard", "\(i)/3", "--report", report, "--quiet")
            #expect([0, 1, 2].contains(r.status), "\(r.stderr)")
            seen += try Self.reportIDs(report)
        }
        #expect(seen.count == Set(seen).count, "a track in two shards: \(seen)")
        #expect(Set(seen) == Set(MixedBatch.expected.keys))
        // The same shares from a manifest listing the tracks in another order.
        let manifest = MixedBatch.expected.keys.filter { !["lost-audio", "no-request"].contains($0) }.sorted().reversed()
            .map { #"{"id": "\#($0)", "audio": "tracks/\#($0).wav", "request": "tracks/\#($0).request.json"}"# }
        try Data(manifest.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: batch.dir.file("m.jsonl")))
        let first = try Self.reportIDs(batch.dir.file("shard-1.jsonl")).filter { !["lost-audio", "no-request"].contains($0) }
        _ = try CLI.run("batch", batch.dir.file("m.jsonl"), "--check-only", "--shard", "1/3", "--report", batch.dir.file("m1.jsonl"), "--quiet")
        #expect(Set(try Self.reportIDs(batch.dir.file("m1.jsonl"))) == Set(first))
    }

    @Test func manifestIdsCannotEscapeTheOutputFolder() throws {
        let batch = try MixedBatch(goodCount: 1, broken: false)
        let lines = [
            #"{"id": "../../escaped", "audio": "tracks/good-1.wav", "request": "tracks/good-1.request.json"}"#,
            #"{"id": "/tmp/absolute", "audio": "tracks/good-1.wav", "request": "tracks/good-1.request.json"}"#,
            #"{"id": "fine", "audio": "tracks/good-1.wav", "request": "tracks/good-1.request.json"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: batch.dir.file("m.jsonl")))
        let out = batch.dir.file("deep/out")
        let r = try CLI.run("batch", batch.dir.file("m.jsonl"), "--out", out, "--json", "--quiet")
        #expect(r.status == 2)
        let reports = try CLI.jsonLines(r.stdout)
        #expect(reports.map { $0["verdict"] as? String } == ["error", "error", "pass"])
        #expect((reports[0]["error"] as? String)?.contains("contains a path separator") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["fine.json", "fine.svg", "fine.wav", "index.html"])
        #expect(try batch.dir.contents().sorted() == ["deep", "m.jsonl", "tracks"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/absolute.json"))
    }

    /// kill -9 at several moments: never a partial file under a final name, and
    /// the rerun of the same command finishes the job, redoing nothing done.
    @Test func aBatchKilledAtAnyMomentIsFinishedByTheRerun() throws {
        let batch = try MixedBatch(goodCount: 10, seconds: 20, broken: false)
        let out = batch.dir.file("out")
        let arguments = ["batch", batch.tracks, "--out", out, "--report", "\(out)/report.jsonl", "--jobs", "2",
                         "--sample-rate", "48000"]
        func sidecars() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".json") }.count
        }
        // Each run is killed just after it finishes a new track, plus a varying
        // moment, so the kills land while other tracks are being written.
        for extra in [0.0, 0.05, 0.12] {
            let before = sidecars()
            let process = try Self.start(arguments)
            while process.isRunning && sidecars() == before { Thread.sleep(forTimeInterval: 0.005) }
            Thread.sleep(forTimeInterval: extra)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try Self.expectOnlyCompleteFiles(in: out)
        }
        #expect(sidecars() < 10, "the kills came too late to interrupt anything")
        let done = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".json") }.count
        let rerun = try CLI.run(arguments)
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        try Self.expectOnlyCompleteFiles(in: out)
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.filter { $0.hasSuffix(".wav") }.count == 10 && files.filter { $0.hasSuffix(".json") }.count == 10)
        #expect(files.filter { $0.hasSuffix(".svg") }.count == 10 && files.contains("index.html"))
        #expect(!files.contains { $0.hasPrefix(".") }, "the rerun removed the killed runs' temporaries: \(files)")
        #expect(try Self.reportIDs("\(out)/report.jsonl") == (1...10).map { "good-\($0)" }.sorted())
        if done > 0 { #expect(rerun.stdout.contains("taken from an earlier run"), "\(rerun.stdout)") }
        // And once more: everything is current.
        let third = try CLI.run(arguments)
        #expect(third.stdout.contains("10 taken from an earlier run"), "\(third.stdout)")
    }

    @Test func ctrlCStopsAfterTheTracksInHandAndWritesTheReports() throws {
        let batch = try MixedBatch(goodCount: 10, seconds: 20, broken: false)
        let out = batch.dir.file("out")
        let arguments = ["batch", batch.tracks, "--out", out, "--report", batch.dir.file("report.jsonl"), "--jobs", "1",
                         "--sample-rate", "48000"]
        let process = try Self.start(arguments)
        Thread.sleep(forTimeInterval: 0.6)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        try Self.expectOnlyCompleteFiles(in: out)
        let ids = try Self.reportIDs(batch.dir.file("report.jsonl"))
        #expect(ids.count < 10 && ids == Array((1...10).map { "good-\($0)" }.sorted().prefix(ids.count)))
        #expect(try CLI.run(arguments).status == 0)
        #expect(try Self.reportIDs(batch.dir.file("report.jsonl")).count == 10)
    }

    @Test func usageErrorsExit64() throws {
        let batch = try MixedBatch(goodCount: 1, broken: false)
        for arguments in [["batch", batch.tracks], ["batch", batch.tracks, "--check-only", "--shard", "3/3"],
                          ["batch", batch.tracks, "--check-only", "--jobs", "0"],
                          ["batch", batch.tracks, "--out", batch.tracks + "/"],
                          ["batch", batch.tracks, "--check-only", "--report", "/proc/none/r.jsonl"]] {
            let r = try CLI.run(arguments)
            #expect(r.status == 64, "\(arguments): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
    }

    /// Broken manifest lines: each is one error naming its line and column,
    /// said once, with `error_kind` in the report lines; the exit code is 2.
    @Test func brokenManifestLinesAreErrorsSaidOnce() throws {
        let dir = try TemporaryDirectory()
        let manifest = dir.file("m.jsonl")
        try Data((#"{"id": "a", "audio": "a.wav", "request": {"type": "bgm""# + "\n"
            + #"{"id": "b", "audio": "b.wav", "request": "b.json"} x"#).utf8).write(to: URL(fileURLWithPath: manifest))
        let r = try CLI.run("batch", manifest, "--check-only", "--report", dir.file("r.jsonl"))
        #expect(r.status == 2)
        #expect(r.stdout.contains("error  \(manifest):1: unexpected end of line at column 56: the object request opened at "
            + "column 42 is not closed (is the line cut short?)"))
        #expect(r.stdout.contains("error  \(manifest):2: unexpected 'x' at column 52 after the JSON value"))
        #expect(!r.stdout.contains("\(manifest):1: \(manifest):1"))
        let reports = try CLI.jsonLines(String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir.file("r.jsonl"))), as: UTF8.self))
        #expect(reports.map { $0["error_kind"] as? String } == ["not_json", "not_json"])
    }

    /// The same batch started twice on one output folder, the second a moment
    /// later, 20 times: no track may end in a false `error` (one run removing
    /// the other's live temporaries did, in 7 of 8 such pairs, before).
    @Test func twoBatchesOnOneFolderNeverReportFalseErrors() throws {
        let batch = try MixedBatch(goodCount: 4, seconds: 3, broken: false)
        var rng = SeededRandom(seed: 23)
        for round in 0..<20 {
            let out = batch.dir.file("out")
            try? FileManager.default.removeItem(atPath: out)
            let arguments = { (n: Int) in
                ["batch", batch.tracks, "--out", out, "--jobs", "1", "--quiet", "--report", batch.dir.file("r\(n).jsonl")]
            }
            let first = try Self.start(arguments(1))
            Thread.sleep(forTimeInterval: Double(rng.next() % 400) / 1000)
            let second = try Self.start(arguments(2))
            first.waitUntilExit()
            second.waitUntilExit()
            #expect(first.terminationStatus == 0 && second.terminationStatus == 0, "round \(round)")
            for n in 1...2 {
                let lines = try String(contentsOfFile: batch.dir.file("r\(n).jsonl"), encoding: .utf8)
                let verdicts = try CLI.jsonLines(lines).map { $0["verdict"] as? String }
                #expect(verdicts == Array(repeating: "pass", count: 4), "round \(round), run \(n): \(lines)")
            }
            try Self.expectOnlyCompleteFiles(in: out)
        }
    }

    /// A signal that arrives once every track is done stops nothing: the exit
    /// code is the batch's own, not 130. (The signal is sent as soon as the last
    /// report line appears; if the process has already ended it is not
    /// signalled, and the code is the same.)
    @Test func aSignalAfterTheLastTrackIsNotAnInterruption() throws {
        let batch = try MixedBatch(goodCount: 2, seconds: 3, broken: false)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.executable)
        process.arguments = ["batch", batch.tracks, "--check-only", "--json", "--jobs", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var received = Data()
        while received.filter({ $0 == 0x0A }).count < 2 {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received += chunk
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
