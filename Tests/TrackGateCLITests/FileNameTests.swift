import Foundation
import Testing
import TrackGateTestSupport

/// Names as they come: not UTF-8, as long as the file system allows, or
/// differing only in case.
@Suite struct FileNameTests {
    /// A Latin-1 name cannot be opened through the UTF-8 text Swift hands the
    /// program; the error says so instead of a bare "no such file".
    @Test func aLatin1NameIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory()
        // caf\xE9.flac, created with the raw bytes.
        let name: [UInt8] = Array(dir.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".flac".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                                                     O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        close(fd)
        let result = try ExternalTool.run("/bin/sh", ["-c", "\"$0\" info \"$1/caf$(printf '\\351').flac\"", CLI.executable, dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no such file: the name as given is not valid UTF-8 (Latin-1?)"), "\(result.stderr)")
    }

    /// A 250-byte name (the longest id, with `.flac` the 255-byte limit) is
    /// processed: its temporaries are shortened, its outputs keep the full name.
    @Test func theLongestNamesAreProcessed() throws {
        let dir = try TemporaryDirectory()
        let id = String(repeating: "é", count: 100) + String(repeating: "x", count: 50)   // 250 bytes
        #expect(id.utf8.count == 250)
        let batch = try MixedBatch(goodCount: 1, seconds: 4, broken: false)
        let audio = dir.file("\(id).wav")
        try FileManager.default.copyItem(atPath: batch.tracks + "/good-1.wav", toPath: audio)
        try FileManager.default.copyItem(atPath: batch.tracks + "/good-1.request.json", toPath: dir.file("r.json"))
        let out = dir.file("out")
        let result = try CLI.run("process", audio, "--request", dir.file("r.json"), "--out", out, "--format", "flac")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(out)/\(id).flac"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/\(id).json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasSuffix(".partial") })
    }

    @Test func idsThatDifferOnlyInCaseAreRefused() throws {
        let dir = try TemporaryDirectory()
        let request = MixedBatch.request(seconds: 4)
        try Data([#"{"id": "Song", "audio": "a.wav", "request": \#(request)}"#,
                  #"{"id": "SONG", "audio": "b.wav", "request": \#(request)}"#].joined(separator: "\n").utf8)
            .write(to: URL(fileURLWithPath: dir.file("m.jsonl")))
        let result = try CLI.run("batch", dir.file("m.jsonl"), "--check-only", "--json", "--quiet")
        let reports = try CLI.jsonLines(result.stdout)
        let song = try #require(reports.first { $0["id"] as? String == "SONG" })
        #expect(song["error_kind"] as? String == "invalid_id")
        #expect((song["error"] as? String)?.contains("the id \"SONG\" differs from \"Song\" (\(dir.file("m.jsonl")):1) only in case") == true)
    }
}
