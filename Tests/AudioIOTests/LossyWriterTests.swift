import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// MP3 and Opus as libsndfile writes them through LAME and libopus: the bit
/// rate asked for, every frame back after decoding (encoder delay and padding
/// trimmed), tags where players read them, and clear refusals of what a codec
/// cannot store. ffprobe and ffmpeg are the independent readers.
@Suite struct LossyWriterTests {
    static let tags = AudioTags(title: "Rainy desk", genre: "lo-fi", comment: "Producer track", date: "2026-11-29",
                                software: "TrackGate test")

    static func write(_ format: OutputFormat, rate: Int = 48_000, channels: Int = 2, seconds: Double = 3,
                      to path: String) throws -> Int {
        let signal = TestSignals.pinkNoise(peak: 0.4, seconds: seconds, sampleRate: rate, channels: channels, seed: 3)
        var writer = try SoundFileWriter(path: path, format: format, sampleRate: rate, channelCount: channels, tags: tags)
        try writer.write(signal)
        try writer.commit()
        return signal.frameCount
    }

    @Test(arguments: [128, 320])
    func mp3IsConstantBitRateAndGapless(_ kbps: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.mp3")
        let frames = try Self.write(try OutputFormat(lossy: .mp3, bitrateKbps: kbps), rate: 44_100, to: path)
        #expect(try ExternalTool.ffprobeStream(path, "bit_rate") == String(kbps * 1000))
        #expect(try ExternalTool.ffprobeStream(path, "codec_name") == "mp3")
        // LAME's Info tag carries the encoder delay and padding: both decoders give back exactly what went in.
        #expect(try ExternalTool.ffmpegDecodedFrames(path, channels: 2) == frames)
        #expect(try SoundFile.readAll(path: path).frameCount == frames)
        let tags = try ExternalTool.ffprobeTags(path)
        #expect(tags["title"] == "Rainy desk" && tags["genre"] == "lo-fi" && tags["comment"] == "Producer track")
        #expect(tags["date"] == "2026-11-29" && tags["encoder"] == "TrackGate test")
    }

    @Test func opusKeepsItsFramesAndTags() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.opus")
        let seconds = 6.0
        let frames = try Self.write(try OutputFormat(lossy: .opus, bitrateKbps: 96), seconds: seconds, to: path)
        #expect(try ExternalTool.ffprobeStream(path, "codec_name") == "opus")
        #expect(try ExternalTool.ffmpegDecodedFrames(path, channels: 2) == frames)
        #expect(try SoundFile.readAll(path: path).frameCount == frames)
        // Opus is VBR: the file's size over its length comes near the rate asked for.
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let kbps = Double(bytes) * 8 / seconds / 1000
        #expect((70...125).contains(kbps), "\(kbps) kbit/s for 96 asked")
        let tags = try ExternalTool.ffprobeTags(path)
        #expect(tags["title"] == "Rainy desk" && tags["comment"] == "Producer track")
    }

    @Test func defaultBitRates() throws {
        #expect(OutputFormat.mp3.bitrateKbps(sampleRate: 44_100, channelCount: 2) == 320)
        #expect(OutputFormat.mp3.bitrateKbps(sampleRate: 22_050, channelCount: 1) == 160)
        #expect(OutputFormat.opus.bitrateKbps(sampleRate: 48_000, channelCount: 2) == 128)
        #expect(OutputFormat.opus.bitrateKbps(sampleRate: 48_000, channelCount: 6) == 384)
        #expect(OutputFormat.wav24.bitrateKbps(sampleRate: 48_000, channelCount: 2) == nil)
        #expect(OutputFormat.Container.opus.deliveryRate(forSource: 44_100) == 48_000)
        #expect(OutputFormat.Container.opus.deliveryRate(forSource: 24_000) == 24_000)
        #expect(OutputFormat.Container.mp3.deliveryRate(forSource: 44_100) == 44_100)
        #expect(OutputFormat.Container.mp3.deliveryRate(forSource: 96_000) == 48_000)
    }

    /// What the codecs cannot store is refused before a byte is written, naming the file and the limit.
    @Test(arguments: [
        (OutputFormat.mp3, 96_000, 2, "44.1"),
        (OutputFormat.mp3, 48_000, 3, "at most 2 channels"),
        (try! OutputFormat(lossy: .mp3, bitrateKbps: 100), 48_000, 2, "not 100"),
        (try! OutputFormat(lossy: .mp3, bitrateKbps: 192), 22_050, 2, "not 192"),
        (OutputFormat.opus, 44_100, 2, "not 44100 Hz"),
        (try! OutputFormat(lossy: .opus, bitrateKbps: 600), 48_000, 2, "12 to 512 kbit/s, not 600"),
    ])
    func refusesWhatTheCodecCannotStore(_ format: OutputFormat, _ rate: Int, _ channels: Int, _ words: String) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.\(format.container.fileExtension)")
        do {
            _ = try SoundFileWriter(path: path, format: format, sampleRate: rate, channelCount: channels)
            Issue.record("\(format) at \(rate) Hz, \(channels) channels was accepted")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.contains(path) && error.description.contains(words), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "a file was left behind")
    }
}
