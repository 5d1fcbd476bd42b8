import AudioIO
import Foundation
import Testing
import TrackGateTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The length of a track is what decodes, never what a header announces; what a
/// file is, is decided by its bytes, never its name. Reference values come from
/// ffmpeg's own decode of the same files.
@Suite struct DecodedLengthTests {
    /// Frames ffmpeg decodes from `path` (as 16-bit stereo).
    static func ffmpegFrames(_ path: String, in dir: TemporaryDirectory) throws -> Int {
        let raw = dir.file("ffmpeg-\(UUID().uuidString).raw")
        try ffmpeg(["-i", path, "-f", "s16le", "-ac", "2", raw])
        let size = try FileManager.default.attributesOfItem(atPath: raw)[.size] as? Int ?? 0
        return size / 4
    }

    static func encode(_ codecArgs: [String], seconds: Int, to path: String) throws {
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=\(seconds)",
                    "-af", "pan=stereo|c0=c0|c1=c0"] + codecArgs + [path])
    }

    /// A failed download saved under an audio name: XML (an expired storage link),
    /// an HTML 502 page, a JSON error body, plain text. The extension never matters.
    static let bodies: [(kind: String, text: String)] = [
        ("XML", #"<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"#),
        ("HTML", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>"),
        ("JSON", #"{"code": 404, "msg": "task not found", "data": null}"#),
        ("plain text", "upstream connect error or disconnect/reset before headers. reset reason: overflow"),
    ]

    @Test(arguments: ["mp3", "wav", "flac", "ogg", "m4a"])
    func textSavedAsAudioIsNamedForWhatItIs(_ fileExtension: String) throws {
        let dir = try TemporaryDirectory()
        for (kind, text) in Self.bodies {
            let path = try put(Data(text.utf8), "song.\(fileExtension)", in: dir)
            let error = audioError { _ = try SoundFile(path: path) }
            #expect(error?.kind == .notAudio, "\(kind) as .\(fileExtension): \(String(describing: error))")
            #expect(error?.detail.contains(kind == "plain text" ? "plain text" : "\(kind) ") == true,
                    "\(kind) as .\(fileExtension): \(error?.detail ?? "no error")")
        }
    }

    /// A 12 s MP3 (LAME, with its Info frame) cut after 60 % of its bytes: it
    /// announces 12 s and decodes about 7.2 s, as ffmpeg decodes it.
    @Test func aCutMP3IsTruncatedAtTheLengthThatDecodes() throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.mp3")
        try Self.encode(["-c:a", "libmp3lame", "-b:a", "128k"], seconds: 12, to: whole)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = try put(bytes.prefix(bytes.count * 6 / 10), "cut.mp3", in: dir)

        var complete = try SoundFile(path: whole)
        #expect(complete.info.frameCount == 12 * 44_100, "gapless: the LAME tag's exact count")
        let decoded = try complete.readAll().frameCount
        #expect(decoded == (try Self.ffmpegFrames(whole, in: dir)))

        var file = try SoundFile(path: cut)
        #expect(file.info.frameCount == 12 * 44_100, "the header still announces 12 s")
        let reference = try Self.ffmpegFrames(cut, in: dir)
        let error = audioError { _ = try file.readAll() }
        #expect(error?.kind == .truncated, "\(String(describing: error))")
        // ffmpeg also decodes the last, partial frame: within one MPEG frame (1152 samples).
        #expect(abs(file.position - reference) <= 1152, "\(file.position) decoded, ffmpeg \(reference)")
        #expect(error?.detail.contains("of the 12.00 s its header announces") == true, "\(error?.detail ?? "")")
    }

    /// Ogg Vorbis and Opus cut at several points: the stream lacks its last page.
    @Test(arguments: [("libvorbis", "ogg"), ("libopus", "opus")])
    func aCutOggStreamIsTruncated(_ codec: String, _ fileExtension: String) throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.\(fileExtension)")
        try Self.encode(["-c:a", codec], seconds: 5, to: whole)
        var complete = try SoundFile(path: whole)
        #expect(try complete.readAll().frameCount == (try Self.ffmpegFrames(whole, in: dir)))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        for percent in [10, 30, 50, 70, 90, 99] {
            let cut = try put(bytes.prefix(bytes.count * percent / 100), "cut\(percent).\(fileExtension)", in: dir)
            let error = audioError {
                var file = try SoundFile(path: cut)
                _ = try file.readAll()
            }
            #expect(error?.kind == .truncated, "\(percent) %: \(String(describing: error))")
            #expect(error?.detail.contains("Ogg stream") == true, "\(percent) %: \(error?.detail ?? "")")
        }
    }

    /// A FLAC from a streaming encoder has 0 total samples in STREAMINFO: the
    /// length is unknown until decoded, not zero and not 2^63 frames.
    @Test func aStreamedFLACIsDecodedToItsEnd() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("stream.flac")
        let result = try ExternalTool.run("/bin/sh", ["-c", "ffmpeg -nostdin -loglevel error -f lavfi "
            + "-i sine=frequency=440:sample_rate=44100:duration=5 -ac 2 -f flac - > '\(path)'"])
        #expect(result.status == 0, "\(result.stderr)")
        var file = try SoundFile(path: path)
        #expect(file.info.frameCount == nil && file.info.duration == nil)
        #expect(try file.readAll().frameCount == 220_500)
    }

    /// Files that are not regular files are refused at once: reading a FIFO or a
    /// device would wait for ever or never end.
    @Test func specialFilesAreRefusedWithoutReading() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.file("pipe.wav")
        #expect(mkfifo(fifo, 0o644) == 0)
        let zero = dir.file("zero.wav")
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        for (path, phrase) in [(fifo, "FIFO"), (zero, "device"), (dir.path, "folder")] {
            let error = audioError { _ = try SoundFile(path: path) }
            #expect(error?.kind == .unreadable && error?.detail.contains(phrase) == true, "\(String(describing: error))")
        }
    }

    /// Sample rates a header can announce but no music has: refused with the range.
    @Test(arguments: [1, 2, 100, 4_000, 1_000_000])
    func absurdSampleRatesAreRefused(_ rate: Int) throws {
        let dir = try TemporaryDirectory()
        let path = try put(CorruptFiles.wav(channels: 2, sampleRate: UInt32(rate), bits: 16, dataBytes: 4000), "rate.wav", in: dir)
        let error = audioError { _ = try SoundFile(path: path) }
        #expect(error?.kind == .unsupported, "\(rate) Hz: \(String(describing: error))")
        #expect(error?.detail.contains("\(rate) Hz") == true && error?.detail.contains("8000 to 768000 Hz") == true)
    }

    /// MP3s without a Xing/Info header (written to a pipe, CBR and VBR, or with a
    /// large ID3 tag), after junk bytes, or inside a WAV: the length is counted,
    /// not estimated from the file size, and matches ffmpeg's decode; none is
    /// called truncated.
    @Test func mp3sWithoutALengthHeaderAreCountedNotGuessed() throws {
        let dir = try TemporaryDirectory()
        let tone = "-f lavfi -i sine=frequency=440:sample_rate=44100:duration=20 -ac 2"
        let comment = String(repeating: "x", count: 20_000)
        for (name, command) in [
            ("piped-cbr.mp3", "ffmpeg -nostdin -loglevel error \(tone) -c:a libmp3lame -b:a 128k -f mp3 -"),
            ("piped-vbr.mp3", "ffmpeg -nostdin -loglevel error \(tone) -c:a libmp3lame -q:a 2 -f mp3 -"),
            ("piped-id3.mp3", "ffmpeg -nostdin -loglevel error \(tone) -metadata comment=\(comment) -c:a libmp3lame -f mp3 -"),
            ("junk.mp3", "{ head -c 3000 /dev/zero; ffmpeg -nostdin -loglevel error \(tone) -c:a libmp3lame -f mp3 -; }"),
            ("mp3-in.wav", "ffmpeg -nostdin -loglevel error \(tone) -c:a libmp3lame -f wav -"),
        ] {
            let path = dir.file(name)
            let made = try ExternalTool.run("/bin/sh", ["-c", "\(command) > '\(path)'"])
            try #require(made.status == 0, "\(made.stderr)")
            let reference = try Self.ffmpegFrames(path, in: dir)
            var file = try SoundFile(path: path)
            #expect(file.info.encoding.codec == "mp3", "\(name)")
            let decoded = try file.readAll().frameCount
            #expect(decoded == reference, "\(name): \(decoded) decoded, ffmpeg \(reference)")
            if name.hasPrefix("piped") { #expect(file.info.frameCount == decoded, "\(name): \(file.info.frameCount ?? -1) announced") }
        }
    }

    /// An AIFF whose sample rate field holds 2^63 (an exponent of 16446): refused, not a trap.
    @Test func anAbsurdAIFFRateIsRefused() throws {
        let dir = try TemporaryDirectory()
        var bytes = [UInt8](HeaderVariants.make(.aiff, samples: [Int16](repeating: 100, count: 2000), channels: 2, sampleRate: 44_100))
        // FORM(12) COMM header(8): channels 2, frames 4, bits 2, then the 10-byte rate.
        bytes.replaceSubrange(28..<38, with: [0x40, 0x3E, 0x80, 0, 0, 0, 0, 0, 0, 0])
        let path = try put(Data(bytes), "rate.aiff", in: dir)
        let error = audioError { _ = try SoundFile(path: path) }
        #expect(error?.kind == .unsupported || error?.kind == .corrupt, "\(String(describing: error))")
    }
}
