import AudioCore
import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// What libsndfile cannot read (Producer's `.m4a` downloads: AAC in MP4),
/// decoded through FFmpeg's libraries, against the `ffmpeg` program's own
/// decode of the same file, and broken as downloads break.
@Suite struct FFmpegReaderTests {
    /// ffmpeg's raw float decode of `path`, planar.
    static func ffmpegDecode(_ path: String, channels: Int, in dir: TemporaryDirectory) throws -> [[Float]] {
        let raw = dir.file("decode-\(UUID().uuidString).f32")
        try ffmpeg(["-i", path, "-f", "f32le", "-c:a", "pcm_f32le", raw])
        let data = try Data(contentsOf: URL(fileURLWithPath: raw))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let frames = samples.count / channels
        return (0..<channels).map { c in (0..<frames).map { samples[$0 * channels + c] } }
    }

    /// A 3 s stereo music-like WAV at `rate`, for the encoders.
    static func source(_ dir: TemporaryDirectory, rate: Int, seconds: Double = 3) throws -> String {
        let path = dir.file("source-\(rate).wav")
        let audio = MusicSynth(sampleRate: rate, seed: 7).render(plan: [("verse", seconds)])
        var writer = try SoundFileWriter(path: path, format: .wavFloat, sampleRate: rate, channelCount: 2)
        try writer.write(audio)
        try writer.commit()
        return path
    }

    struct Case: Sendable, CustomStringConvertible {
        let file: String, args: [String], container: String, codec: String, lossy: Bool, exactLength: Bool
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "aac.m4a", args: ["-c:a", "aac", "-b:a", "128k"], container: "mp4", codec: "aac", lossy: true, exactLength: true),
        Case(file: "faststart.m4a", args: ["-c:a", "aac", "-b:a", "192k", "-movflags", "+faststart"], container: "mp4",
             codec: "aac", lossy: true, exactLength: true),
        Case(file: "alac.m4a", args: ["-c:a", "alac"], container: "mp4", codec: "alac", lossy: false, exactLength: true),
        Case(file: "adts.aac", args: ["-c:a", "aac", "-b:a", "128k"], container: "aac", codec: "aac", lossy: true, exactLength: false),
    ]

    /// Sample for sample what `ffmpeg -f f32le` decodes, as far as the file's
    /// announced length: an MP4 stops there, without the padding of the last AAC frame.
    @Test(arguments: cases)
    func decodesAsFFmpegDoes(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        let rate = 48_000
        let path = dir.file(c.file)
        try ffmpeg(["-i", try Self.source(dir, rate: rate)] + c.args + [path])
        var file = try SoundFile(path: path)
        #expect(file.info.encoding.container == c.container)
        #expect(file.info.encoding.codec == c.codec)
        #expect(file.info.encoding.isLossy == c.lossy)
        #expect(file.info.sampleRate == rate)
        #expect(file.info.channelCount == 2)
        let ours = try file.readAll()
        let theirs = try Self.ffmpegDecode(path, channels: 2, in: dir)
        if c.exactLength {
            #expect(file.info.frameCount == 3 * rate)
            #expect(ours.frameCount == 3 * rate)
            // ffmpeg 5.1 keeps the last frame's padding (fewer than 1,024 samples).
            #expect(theirs[0].count >= ours.frameCount && theirs[0].count < ours.frameCount + 1024)
        } else {
            #expect(ours.frameCount == theirs[0].count)
        }
        var largest: Float = 0
        for ch in 0..<2 {
            for i in 0..<ours.frameCount { largest = max(largest, abs(ours.channels[ch][i] - theirs[ch][i])) }
        }
        #expect(largest == 0, "\(c): largest difference from ffmpeg's decode \(largest)")
        if !c.lossy {
            // ALAC is lossless: the float source within the encoder's 16-bit quantisation.
            let source = try SoundFile.readAll(path: dir.file("source-\(rate).wav"))
            var worst: Float = 0
            for i in 0..<ours.frameCount { worst = max(worst, abs(ours.channels[0][i] - source.channels[0][i])) }
            #expect(worst <= 1.0 / 32_768, "ALAC differs from its source by \(worst)")
        }
    }

    @Test func readsTheContainersTags() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("tagged.m4a")
        try ffmpeg(["-i", try Self.source(dir, rate: 44_100, seconds: 1), "-c:a", "aac", "-metadata", "title=Neon Rain",
                    "-metadata", "artist=Producer", path])
        let file = try SoundFile(path: path)
        #expect(file.info.tags.title == "Neon Rain")
        #expect(file.info.tags.artist == "Producer")
    }

    /// A download cut short, with the index written last (`ffmpeg`'s default)
    /// and first (`+faststart`, as streaming services serve it): both are named
    /// truncated before any decoding, from the MP4's own box sizes.
    @Test(arguments: [false, true])
    func truncatedDownloadIsNamed(_ faststart: Bool) throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.m4a"), cut = dir.file("cut.m4a")
        try ffmpeg(["-i", try Self.source(dir, rate: 48_000), "-c:a", "aac"] + (faststart ? ["-movflags", "+faststart"] : [])
                    + [whole])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        try bytes.prefix(bytes.count * 6 / 10).write(to: URL(fileURLWithPath: cut))
        #expect {
            _ = try SoundFile(path: cut)
        } throws: { error in
            guard let error = error as? AudioIOError else { return false }
            return error.kind == .truncated && error.detail.contains("'mdat'") && error.path == cut
        }
    }

    /// The audio box declared as running to the end of the file (size 0, as a
    /// streaming writer leaves it), then cut: the boxes cannot tell, and the
    /// decoded stream falls short of the length the index announces.
    @Test func truncatedStreamOfOpenEndedBoxIsNamed() throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.m4a"), cut = dir.file("cut.m4a")
        try ffmpeg(["-i", try Self.source(dir, rate: 48_000), "-c:a", "aac", "-movflags", "+faststart", whole])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        let mdat = try #require(Self.find("mdat", in: bytes))
        bytes.replaceSubrange(mdat - 4 ..< mdat, with: [0, 0, 0, 0])
        try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: URL(fileURLWithPath: cut))
        var file = try SoundFile(path: cut)
        #expect(file.info.frameCount == 144_000)
        #expect {
            _ = try file.readAll()
        } throws: { error in
            guard let error = error as? AudioIOError else { return false }
            return error.kind == .truncated && error.detail.contains("of the 3.00 s its header announces")
        }
    }

    /// An MP4 ffmpeg wrote whole (`-stream_loop ... -t 10`) whose media header
    /// announces more than its samples decode to: every box is complete, so
    /// the index cannot point past the file, and the shorter stream is read,
    /// not called a cut download.
    @Test func aCompleteMP4ShorterThanItsHeaderIsRead() throws {
        let dir = try TemporaryDirectory()
        let short = dir.file("short.m4a"), looped = dir.file("looped.m4a")
        try ffmpeg(["-i", try Self.source(dir, rate: 48_000), "-c:a", "aac", short])
        try ffmpeg(["-stream_loop", "3", "-i", short, "-t", "10", "-c:a", "aac", looped])
        var file = try SoundFile(path: looped)
        #expect(file.info.frameCount == 480_000)
        let frames = try file.readAll().frameCount
        #expect(frames > 470_000 && frames < 480_000, "\(frames)")
    }

    @Test func mp4WithoutAudioOrIndexIsNamed() throws {
        let dir = try TemporaryDirectory()
        let video = dir.file("video.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=10", "-c:v", "mpeg4", video])
        #expect { _ = try SoundFile(path: video) } throws: { ($0 as? AudioIOError)?.kind == .notAudio }

        // ftyp and free boxes only: no index, no audio.
        let empty = dir.file("no-index.m4a")
        let box: (String, Int) -> [UInt8] = { type, size in
            [UInt8(size >> 24), UInt8(size >> 16 & 255), UInt8(size >> 8 & 255), UInt8(size & 255)] + Array(type.utf8)
                + [UInt8](repeating: 0, count: size - 8)
        }
        try Data(box("ftyp", 16) + box("free", 64)).write(to: URL(fileURLWithPath: empty))
        #expect {
            _ = try SoundFile(path: empty)
        } throws: { error in
            guard let error = error as? AudioIOError else { return false }
            return error.kind == .corrupt && error.detail.contains("no index ('moov')")
        }
    }

    static func find(_ type: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(type.utf8)
        return (4..<(bytes.count - 4)).first { bytes[$0..<$0 + 4].elementsEqual(pattern) }
    }

    /// 120 bytes damaged inside the audio of an M4A, at eight places: ffmpeg
    /// reports each, and so does the reader (an error after some frames of a
    /// read is kept and thrown by the next, never dropped).
    @Test func aDamagedPacketIsAnError() throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole.m4a")
        try ffmpeg(["-i", try Self.source(dir, rate: 48_000, seconds: 10), "-c:a", "aac", "-b:a", "128k", whole])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: whole)))
        let mdat = try #require(Self.find("mdat", in: bytes)) + 4
        for percent in stride(from: 20, through: 90, by: 10) {
            var damaged = bytes
            let at = mdat + (bytes.count - mdat) * percent / 100
            for k in at..<at + 120 { damaged[k] = damaged[k] &* 7 &+ 13 }
            let path = dir.file("damaged-\(percent).m4a")
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            #expect {
                var file = try SoundFile(path: path)
                _ = try file.readAll()
            } throws: { ($0 as? AudioIOError)?.kind == .readFailed }
        }
    }

    /// Streams without a length to check against (ADTS) or with one in their
    /// container (Matroska's Segment size): cut downloads are named truncated.
    @Test(arguments: [("cut.aac", ["-c:a", "aac"]), ("cut.mka", ["-c:a", "libopus"]), ("cut.webm", ["-c:a", "libopus"])])
    func cutStreamsOfOtherContainersAreTruncated(_ name: String, _ codec: [String]) throws {
        let dir = try TemporaryDirectory()
        let whole = dir.file("whole-" + name)
        try ffmpeg(["-i", try Self.source(dir, rate: 48_000, seconds: 10)] + codec + [whole])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        try bytes.prefix(bytes.count * 6 / 10).write(to: URL(fileURLWithPath: dir.file(name)))
        #expect {
            var file = try SoundFile(path: dir.file(name))
            _ = try file.readAll()
        } throws: { ($0 as? AudioIOError)?.kind == .truncated }
        var file = try SoundFile(path: whole)
        #expect(abs(try file.readAll().frameCount - 480_000) < 2048)
    }

    /// Bytes after complete index and audio boxes take nothing away (players
    /// ignore them); an ID3 tag before ADTS is looked past, as ffmpeg does.
    @Test func paddingAfterAnMP4AndATagBeforeADTS() throws {
        let dir = try TemporaryDirectory()
        let m4a = dir.file("song.m4a"), aac = dir.file("song.aac")
        let source = try Self.source(dir, rate: 44_100, seconds: 2)
        try ffmpeg(["-i", source, "-c:a", "aac", m4a])
        try ffmpeg(["-i", source, "-c:a", "aac", aac])
        for tail in [[UInt8](repeating: 0, count: 4), [UInt8](repeating: 0x41, count: 31)] {
            let padded = dir.file("padded-\(tail.count).m4a")
            try Data(try Data(contentsOf: URL(fileURLWithPath: m4a)) + tail).write(to: URL(fileURLWithPath: padded))
            var file = try SoundFile(path: padded)
            #expect(try file.readAll().frameCount == 88_200)
        }
        let tag: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 10] + [UInt8](repeating: 0, count: 10)
        let tagged = dir.file("tagged.aac")
        try Data(tag + [UInt8](try Data(contentsOf: URL(fileURLWithPath: aac)))).write(to: URL(fileURLWithPath: tagged))
        var file = try SoundFile(path: tagged)
        #expect(file.info.encoding.container == "aac")
        var plain = try SoundFile(path: aac)
        #expect(try file.readAll() == (try plain.readAll()))
    }
}
