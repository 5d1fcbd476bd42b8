import AudioCore
import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// The reader against files made by an independent encoder (ffmpeg) from a
/// known signal: a 1 kHz sine of amplitude 1/8 (ffmpeg's `sine` source),
/// whose RMS is 1/(8*sqrt 2) = 0.0884 on each channel. Lossless files must
/// match the ideal sine sample by sample; lossy ones must match ffmpeg's decode.
@Suite struct ReaderFormatTests {
    static let expectedRMS = 0.125 / 2.0.squareRoot()

    struct Case: Sendable, CustomStringConvertible {
        let file: String, codecArgs: [String], container: String, codec: String
        let bitDepth: Int?, rate: Int, lossless: Bool
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "s16.wav", codecArgs: ["-c:a", "pcm_s16le"], container: "wav", codec: "pcm_s16", bitDepth: 16, rate: 44_100, lossless: true),
        Case(file: "s24.wav", codecArgs: ["-c:a", "pcm_s24le"], container: "wav", codec: "pcm_s24", bitDepth: 24, rate: 48_000, lossless: true),
        Case(file: "f32.wav", codecArgs: ["-c:a", "pcm_f32le"], container: "wav", codec: "pcm_f32", bitDepth: 32, rate: 44_100, lossless: true),
        Case(file: "s16.aiff", codecArgs: ["-c:a", "pcm_s16be"], container: "aiff", codec: "pcm_s16", bitDepth: 16, rate: 22_050, lossless: true),
        Case(file: "s16.flac", codecArgs: ["-c:a", "flac", "-sample_fmt", "s16"], container: "flac", codec: "flac", bitDepth: 16, rate: 44_100, lossless: true),
        Case(file: "s24.flac", codecArgs: ["-c:a", "flac", "-sample_fmt", "s32"], container: "flac", codec: "flac", bitDepth: 24, rate: 96_000, lossless: true),
        Case(file: "vorbis.ogg", codecArgs: ["-c:a", "libvorbis", "-q:a", "6"], container: "ogg", codec: "vorbis", bitDepth: nil, rate: 44_100, lossless: false),
        Case(file: "lame.mp3", codecArgs: ["-c:a", "libmp3lame", "-b:a", "192k"], container: "mp3", codec: "mp3", bitDepth: nil, rate: 44_100, lossless: false),
    ]

    @Test(arguments: cases)
    func readsIndependentEncoding(_ c: Case) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file(c.file)
        var args = ["-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=\(c.rate):duration=2",
                    // Duplicate the channel: `-ac 2` would apply a -3 dB pan law.
                    "-af", "pan=stereo|c0=c0|c1=c0"]
        if c.file == "s24.flac" { args += ["-bits_per_raw_sample", "24"] }
        try ffmpeg(args + c.codecArgs + [path])

        var file = try SoundFile(path: path)
        #expect(file.info.encoding.container == c.container)
        #expect(file.info.encoding.codec == c.codec)
        #expect(file.info.encoding.bitDepth == c.bitDepth)
        #expect(file.info.sampleRate == c.rate)
        #expect(file.info.channelCount == 2)
        let audio = try file.readAll()
        if c.lossless {
            #expect(file.info.frameCount == 2 * c.rate)
            #expect(audio.frameCount == 2 * c.rate)
        } else {
            // Lossy encoders add priming and padding; within 60 ms is the decoder's business.
            #expect(abs(audio.frameCount - 2 * c.rate) < c.rate * 6 / 100)
        }
        // Lossy codecs change the level themselves (LAME at 192k: -0.27 dB here), so
        // their reference is ffmpeg's own decode of the same file.
        var reference = Self.expectedRMS
        if !c.lossless {
            let decoded = dir.file("ffmpeg-decode.wav")
            try ffmpeg(["-i", path, "-c:a", "pcm_f32le", decoded])
            reference = rms(try SoundFile.readAll(path: decoded).channels[0][c.rate / 10 ..< c.rate * 19 / 10])
        }
        for channel in audio.channels {
            let level = rms(channel[c.rate / 10 ..< c.rate * 19 / 10])
            #expect(abs(20 * log10(level / reference)) < 0.01, "RMS \(level), reference \(reference)")
        }
        if c.lossless {
            // Sample-exact against the ideal sine, to the format's resolution.
            let w = 2 * Double.pi * 1000 / Double(c.rate)
            let worst = (0..<audio.frameCount).map { abs(Double(audio.channels[0][$0]) - 0.125 * sin(w * Double($0))) }.max() ?? 1
            #expect(worst < 1.0 / 16_384, "largest deviation \(worst)")
        }
    }

    /// 16-bit PCM is read as integers and scaled by the reader itself: every
    /// sample must equal ffmpeg's raw integer decode divided by 32,768, for the
    /// stereo fast path and for other channel counts, with lengths that leave
    /// partial groups of eight frames and blocks that end mid-chunk.
    @Test(arguments: [1, 2, 3])
    func sixteenBitSamplesAreExact(channels: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("noise.wav"), raw = dir.file("noise.raw")
        try ffmpeg(["-f", "lavfi", "-i", "anoisesrc=color=white:amplitude=0.9:duration=0.75:seed=3", "-ac", "\(channels)",
                    "-af", "aformat=channel_layouts=\(["mono", "stereo", "3.0"][channels - 1])", "-t", "0.7499",
                    "-c:a", "pcm_s16le", path])
        try ffmpeg(["-i", path, "-f", "s16le", "-c:a", "pcm_s16le", raw])
        let integers = try Data(contentsOf: URL(fileURLWithPath: raw)).withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        var file = try SoundFile(path: path)
        var block = AudioBlock(channelCount: channels, capacity: 1_001)
        var decoded = [[Float]](repeating: [], count: channels)
        while try file.read(into: &block) { for c in 0..<channels { decoded[c] += block.channel(c) } }
        #expect(decoded[0].count * channels == integers.count && decoded[0].count % 8 != 0)
        for c in 0..<channels {
            #expect(decoded[c] == stride(from: c, to: integers.count, by: channels).map { Float(integers[$0]) / 32_768 })
        }
    }

    @Test func streamingInSmallBlocksEqualsReadAll() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("noise.wav")
        let noise = TestSignals.noise(seconds: 1.3, sampleRate: 44_100, channels: 3, seed: 9)
        var writer = try SoundFileWriter(path: path, format: .wavFloat, sampleRate: 44_100, channelCount: 3)
        try writer.write(noise)
        try writer.commit()

        var file = try SoundFile(path: path)
        var block = AudioBlock(channelCount: 3, capacity: 1000)
        var channels = [[Float]](repeating: [], count: 3)
        var blocks = 0
        while try file.read(into: &block) {
            blocks += 1
            for c in 0..<3 { channels[c] += block.channel(c) }
        }
        #expect(blocks == Int((1.3 * 44_100 / 1000).rounded(.up)))
        #expect(channels == noise.channels)
        #expect(try file.read(into: &block) == false)
    }

    /// Float files keep values beyond full scale; values no audio can have (beyond
    /// ±10^9, infinite) are read as NaN, like NaN itself.
    @Test func floatFilesKeepValuesBeyondFullScaleAndNaN() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("hot.wav")
        let samples: [Float] = [0, 1.5, -2, .nan, .infinity, 0.25, 1e8, -1e30]
        var writer = try SoundFileWriter(path: path, format: .wavFloat, sampleRate: 8000, channelCount: 1)
        try writer.write(AudioBuffer(sampleRate: 8000, channels: [samples]))
        try writer.commit()
        let back = try SoundFile.readAll(path: path).channels[0]
        #expect(back[1] == 1.5 && back[2] == -2 && back[3].isNaN && back[4].isNaN && back[5] == 0.25)
        #expect(back[6] == 1e8 && back[7].isNaN)
    }

    @Test func channelMapOfExtensibleWav() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("51.wav")
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=500:duration=0.5", "-af", "pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0",
                    "-c:a", "pcm_s16le", path])
        let info = try SoundFile(path: path).info
        #expect(info.channelCount == 6)
        #expect(info.channelLayout == [.left, .right, .center, .lfe, .rearLeft, .rearRight])
    }
}
