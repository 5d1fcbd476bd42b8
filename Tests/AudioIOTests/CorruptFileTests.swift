import AudioIO
import Dispatch
import Foundation
import Testing
import TrackGateTestSupport

/// Every way a downloaded file goes wrong gives a typed error that names the
/// file and says what is wrong, never a crash and never a silently shorter track.
@Suite struct CorruptFileTests {
    /// A good 2 s stereo 16-bit WAV at 44.1 kHz: 352,800 bytes of audio.
    static func goodWAV() throws -> Data {
        let dir = try TemporaryDirectory()
        let path = dir.file("good.wav")
        var writer = try SoundFileWriter(path: path, format: .wav16, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.sine(frequency: 440, seconds: 2, sampleRate: 44_100))
        try writer.commit()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func expectError(_ data: Data, named name: String, kind: AudioIOError.Kind, saying phrase: String) throws {
        let dir = try TemporaryDirectory()
        let path = try put(data, name, in: dir)
        let error = audioError { _ = try SoundFile(path: path) }
        #expect(error?.kind == kind, "\(String(describing: error))")
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix(path + ": ") == true)
        #expect(error?.detail.contains(phrase) == true, "\(error?.detail ?? "no error")")
    }

    @Test func emptyFile() throws {
        try expectError(Data(), named: "empty.wav", kind: .empty, saying: "empty file (0 bytes)")
    }

    @Test func randomBytes() throws {
        try expectError(CorruptFiles.randomBytes(count: 4096), named: "noise.wav", kind: .notAudio, saying: "format not recognised")
    }

    @Test func htmlErrorPageSavedAsWav() throws {
        try expectError(CorruptFiles.htmlErrorPage, named: "song.wav", kind: .notAudio, saying: "HTML page")
    }

    @Test func jsonErrorSavedAsWav() throws {
        try expectError(Data(#"{"type":"bad_request","message":"expired"}"#.utf8), named: "song.wav",
                        kind: .notAudio, saying: "JSON text")
    }

    @Test func truncatedHeader() throws {
        try expectError(CorruptFiles.truncated(try Self.goodWAV(), to: 30), named: "cut.wav",
                        kind: .truncated, saying: "truncated header")
    }

    @Test func truncatedData() throws {
        let good = try Self.goodWAV()
        // Cut at 1.25 s: the header still announces 2 s.
        try expectError(CorruptFiles.truncated(good, to: 44 + 220_500), named: "cut.wav", kind: .truncated,
                        saying: "announces 2.00 s of audio but the file ends after 1.25 s")
    }

    @Test func lyingDataSizeField() throws {
        let lying = CorruptFiles.lyingDataSize(try Self.goodWAV(), declaredBytes: 100_000_000)
        try expectError(lying, named: "lying.wav", kind: .corrupt, saying: "claims 566.89 s of audio but the file holds 2.00 s")
    }

    @Test func streamedWavWithUnknownLengthIsAccepted() throws {
        // 0xFFFFFFFF is what a writer that cannot seek back leaves: unknown, not wrong.
        let dir = try TemporaryDirectory()
        let path = try put(CorruptFiles.lyingDataSize(try Self.goodWAV(), declaredBytes: 0xFFFF_FFFF), "stream.wav", in: dir)
        #expect(try SoundFile.readAll(path: path).frameCount == 88_200)
    }

    @Test func missingFileAndFolder() throws {
        let dir = try TemporaryDirectory()
        let missing = audioError { _ = try SoundFile(path: dir.file("nope.wav")) }
        #expect(missing?.kind == .missing && missing?.detail == "no such file")
        let folder = audioError { _ = try SoundFile(path: dir.path) }
        #expect(folder?.kind == .unreadable && folder?.detail.contains("folder") == true)
    }

    @Test func malformedFormatChunkCarriesLibsndfilesReason() throws {
        let zero = CorruptFiles.wav(channels: 0, sampleRate: 44_100, bits: 16)
        try expectError(zero, named: "zero.wav", kind: .corrupt, saying: "Channel count is zero")
    }

    @Test func anUnimplementedEncodingIsUnsupported() throws {
        let zeroBits = CorruptFiles.wav(channels: 2, sampleRate: 44_100, bits: 0)
        try expectError(zeroBits, named: "zero-bits.wav", kind: .unsupported, saying: "unimplemented format")
    }

    /// An MP4 whose audio this build of FFmpeg has no decoder for (or none at
    /// all): an audio container, named as unsupported or not audio, never a crash.
    @Test func anMP4WithAnUndecodableTrackIsNamed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("subtitles.mp4")
        try Data("1\n00:00:00,000 --> 00:00:01,000\nhello\n".utf8).write(to: URL(fileURLWithPath: dir.file("s.srt")))
        try ffmpeg(["-i", dir.file("s.srt"), "-c:s", "mov_text", path])
        let error = audioError { _ = try SoundFile(path: path) }
        #expect(error?.kind == .notAudio)
        #expect(error?.detail.contains("holds no audio stream") == true, "\(String(describing: error))")
    }

    @Test func truncatedFlacStreamFailsWhenRead() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("whole.flac")
        var writer = try SoundFileWriter(path: path, format: .flac16, sampleRate: 44_100, channelCount: 2)
        try writer.write(TestSignals.noise(seconds: 3, sampleRate: 44_100, seed: 3))
        try writer.commit()
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = try put(whole.prefix(whole.count / 2), "cut.flac", in: dir)

        let error = audioError {
            var file = try SoundFile(path: cut)
            _ = try file.readAll()
        }
        #expect(error?.kind == .truncated || error?.kind == .readFailed, "\(String(describing: error))")
        #expect(error?.path == cut)
    }

    /// libsndfile keeps the reason for a failed open in one process-wide variable.
    /// Opening two differently broken files from many threads must still give
    /// each file its own reason.
    @Test func concurrentOpensKeepTheirOwnErrors() throws {
        let dir = try TemporaryDirectory()
        let zero = try put(CorruptFiles.wav(channels: 0, sampleRate: 44_100, bits: 16), "zero.wav", in: dir)
        let tag = try put(CorruptFiles.wav(formatTag: 0x1234, channels: 2, sampleRate: 44_100, bits: 16), "tag.wav", in: dir)
        let attempts = 400
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: attempts) { i in
            let path = i.isMultiple(of: 2) ? zero : tag
            let expected = i.isMultiple(of: 2) ? "Channel count is zero" : "Malformed 'fmt ' chunk"
            let error = audioError { _ = try SoundFile(path: path) }
            if error?.detail.contains(expected) != true { mismatches.add("\(path): \(String(describing: error))") }
        }
        #expect(mismatches.all.isEmpty, "\(mismatches.all.prefix(3))")
    }
}

final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
