import AudioDSP
import AudioIO
import Foundation
import Testing
import TrackGateTestSupport

/// Headers whose size fields mean "unknown" (0 or 0xFFFFFFFF, left by streaming
/// writers that could not seek back) in WAV, RF64 and AIFF, with and without
/// chunks after the audio: every frame is read, nothing after the audio is
/// read as samples, and the loudness is what libebur128 measures on the same
/// samples.
@Suite struct UnknownLengthHeaderTests {
    static let rate = 48_000
    static let frames = 144_000   // 3 s

    /// 3 s of synthesised music, stereo, as 16-bit samples (interleaved).
    static let samples: [Int16] = {
        let audio = MusicSynth(sampleRate: rate, seed: 77).render(plan: [("verse", 3)])
        return (0..<frames).flatMap { i in audio.channels.map { Int16(max(-32_768, min(32_767, ($0[i] * 32_768).rounded()))) } }
    }()

    /// The samples as any 16-bit reader should return them.
    static let planar: [[Float]] = (0..<2).map { c in (0..<frames).map { Float(samples[2 * $0 + c]) / 32_768 } }

    @Test(arguments: HeaderVariants.Variant.allCases)
    func everyFrameIsReadAndMeasuredAsLibebur128Does(_ variant: HeaderVariants.Variant) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("take.\(variant.fileExtension)")
        try HeaderVariants.make(variant, samples: Self.samples, channels: 2, sampleRate: Self.rate)
            .write(to: URL(fileURLWithPath: path))
        var file = try SoundFile(path: path)
        #expect(file.info.frameCount == Self.frames)
        let audio = try file.readAll()
        #expect(audio.frameCount == Self.frames)
        #expect(audio.channels == Self.planar, "the samples differ from what was written")
        if variant == .wavDataSizeZeroThenLIST || variant == .wavDataSizeMaxThenLIST {
            #expect(file.info.tags.title == HeaderVariants.trailingTitle, "the chunk after the audio is read as metadata")
        }
        let ours = measure(audio.channels, rate: Self.rate, truePeak: true)
        let theirs = LibEBUR128ComparisonTests.libebur128(Self.planar, rate: Self.rate)
        #expect(abs(ours.integratedLUFS! - theirs.integrated) <= 0.01, "\(ours.integratedLUFS!) vs \(theirs.integrated)")
    }

    /// The AIFF equivalent of a WAV whose data size lies: COMM counts frames the
    /// sound chunk does not hold. 0 stays "unknown".
    @Test func anAIFFFrameCountBeyondItsSoundIsADamagedHeader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("lying.aiff")
        try HeaderVariants.aiffClaiming(frames: 0xFFFF_FFFF, samples: Self.samples, channels: 2, sampleRate: Self.rate)
            .write(to: URL(fileURLWithPath: path))
        do {
            _ = try SoundFile(path: path)
            Issue.record("a COMM count of 0xFFFFFFFF was accepted")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.detail.contains("COMM chunk claims 89478.49 s") && error.detail.contains("holds 3.00 s"), "\(error)")
        }
    }
}
