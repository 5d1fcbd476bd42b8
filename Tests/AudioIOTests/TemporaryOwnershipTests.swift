import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// Temporaries are removed only when their writer is gone: a live writer's
/// lock keeps them, in this process or another.
@Suite struct TemporaryOwnershipTests {
    func temporaries(in dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".partial") }.sorted()
    }

    @Test func aLiveWritersTemporaryStays() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("report.jsonl")
        let stream = try AtomicFileStream(path: path, replaceExisting: true)
        try stream.write(Array("one\n".utf8))
        let live = try temporaries(in: dir)
        #expect(live.count == 1)
        AtomicFile.removeTemporaries(of: path)
        #expect(try temporaries(in: dir) == live)
        try stream.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n")
        #expect(try temporaries(in: dir).isEmpty)
    }

    @Test func anAbandonedTemporaryGoes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("song.wav")
        // What a run killed mid-write leaves: nobody holds its lock.
        try Data("half a file".utf8).write(to: URL(fileURLWithPath: dir.file(".song.wav.a1B2c3.partial")))
        // A temporary of another output stays.
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file(".other.wav.a1B2c3.partial")))
        AtomicFile.removeTemporaries(of: path)
        #expect(try temporaries(in: dir) == [".other.wav.a1B2c3.partial"])
    }

    /// Another process holds the lock (flock(1), as a second TrackGate run
    /// would): the temporary stays until that process is gone.
    @Test func anotherProcessesLockIsRespected() throws {
        let dir = try TemporaryDirectory()
        let temporary = dir.file(".song.wav.Zz9Yy8.partial")
        try Data("being written".utf8).write(to: URL(fileURLWithPath: temporary))
        let holder = Process()
        // The shell takes the lock on descriptor 9 and becomes `sleep`, which keeps
        // it: terminating that one process releases the lock.
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9<\"$0\"; flock 9; exec sleep 30", temporary]
        try holder.run()
        defer { if holder.isRunning { holder.terminate() } }
        // Wait until flock holds the lock (a probe that fails to lock it).
        var held = false
        for _ in 0..<200 {
            let fd = open(temporary, O_RDONLY)
            held = flock(fd, LOCK_EX | LOCK_NB) != 0
            close(fd)
            if held { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(held)
        #expect(!AtomicFile.removeIfAbandoned(temporary))
        #expect(FileManager.default.fileExists(atPath: temporary))
        holder.terminate()
        holder.waitUntilExit()
        #expect(AtomicFile.removeIfAbandoned(temporary))
        #expect(!FileManager.default.fileExists(atPath: temporary))
    }

    /// A temporary's name fits the 255-byte limit whatever the final name's
    /// length, and still tells which file it belongs to.
    @Test func temporaryNamesFitAndTellTheirFile() throws {
        #expect(AtomicFile.temporaryStem(of: "song.wav") == "song.wav")
        let long = String(repeating: "é", count: 100) + String(repeating: "x", count: 50) + ".flac"
        let stem = AtomicFile.temporaryStem(of: long)
        #expect((".\(stem).XXXXXX.partial").utf8.count <= 255)
        #expect(stem.hasPrefix("éé") && stem != AtomicFile.temporaryStem(of: long.replacingOccurrences(of: ".flac", with: ".json")))
        let dir = try TemporaryDirectory()
        let path = dir.file(long)
        let stream = try AtomicFileStream(path: path, replaceExisting: true)
        let names = try temporaries(in: dir)
        #expect(names.count == 1 && AtomicFile.finalName(ofTemporary: names[0]) == stem)
        try FileManager.default.copyItem(atPath: dir.file(names[0]), toPath: dir.file(".\(stem).abcdef.partial"))
        AtomicFile.removeTemporaries(of: path)
        #expect(try temporaries(in: dir) == names)
        try stream.commit()
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
