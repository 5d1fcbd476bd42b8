import AudioCore
import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// One open file per job: a file replaced under its name mid-job is still read
/// as it was opened; a file written in place is refused at the next pass.
@Suite struct AudioSourceTests {
    func writeTone(_ path: String, seconds: Double, rate: Int = 8_000) throws {
        let frames = Int(seconds * Double(rate))
        let tone = (0..<frames).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: rate, channelCount: 1)
        try writer.write(AudioBuffer(sampleRate: rate, channels: [tone]))
        try writer.commit()
    }

    func frames(_ file: inout SoundFile) throws -> Int {
        var block = AudioBlock(channelCount: file.info.channelCount, capacity: 4096)
        var total = 0
        while try file.read(into: &block) { total += block.frameCount }
        return total
    }

    @Test func aFileReplacedMidJobIsReadAsOpened() throws {
        let dir = try TemporaryDirectory()
        let song = dir.file("song.wav")
        try writeTone(song, seconds: 1)
        let source = try AudioSource(path: song)
        var first = try SoundFile(source: source)
        #expect(try frames(&first) == 8_000)
        // A downloader's retry: a longer file moved over the name.
        try writeTone(dir.file("retry.wav"), seconds: 4)
        #expect(rename(dir.file("retry.wav"), song) == 0)
        var second = try SoundFile(source: source)
        #expect(try frames(&second) == 8_000)
        var byPath = try SoundFile(path: song)
        #expect(try frames(&byPath) == 32_000)
    }

    @Test func aFileWrittenInPlaceIsRefused() throws {
        let dir = try TemporaryDirectory()
        let song = dir.file("song.wav")
        try writeTone(song, seconds: 1)
        let source = try AudioSource(path: song)
        _ = try SoundFile(source: source)
        let handle = try #require(FileHandle(forWritingAtPath: song))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0, count: 1000))
        try handle.close()
        let error = audioError { _ = try SoundFile(source: source) }
        #expect(error?.kind == .changed)
        // The check after the last pass says the same.
        #expect(audioError { try source.checkUnchanged() }?.kind == .changed)
        #expect(error?.description == "\(song): the input changed while it was processed (written to since it was opened: "
            + "a download still running?); run again once the file is complete")
    }

    /// Passes interleaved on one source do not disturb each other, also for
    /// libmpg123, which reads from the descriptor's own offset.
    @Test(arguments: ["wav", "mp3"]) func passesAreIndependent(_ format: String) throws {
        let dir = try TemporaryDirectory()
        let wav = dir.file("song.wav")
        try writeTone(wav, seconds: 2)
        let song = dir.file("song.\(format)")
        if format == "mp3" { try ffmpeg(["-i", wav, "-c:a", "libmp3lame", "-b:a", "64k", song]) }
        var reference = try SoundFile(path: song)
        let total = try frames(&reference)
        let source = try AudioSource(path: song)
        var a = try SoundFile(source: source)
        var block = AudioBlock(channelCount: 1, capacity: 1000)
        _ = try a.read(into: &block)
        let first = block.frameCount
        // A second pass starts at the beginning whatever the first has read.
        var b = try SoundFile(source: source)
        #expect(try frames(&b) == total)
        #expect(try frames(&a) == total - first)
    }
}
