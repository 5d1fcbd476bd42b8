import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What libsndfile cannot read, through FFmpeg's libraries: AAC and ALAC in
/// MP4/M4A (Producer's downloads), raw ADTS AAC, audio in Matroska/WebM. The
/// owner of one `tg_av_reader` (format, codec and converter contexts) and the
/// file descriptor it reads.
///
/// The stream is decoded as `ffmpeg -i FILE -f f32le -` decodes it (the same
/// libraries, the encoder delay an MP4's edit list marks skipped), with one
/// difference: an MP4 announces its exact length (edit list or media header),
/// and decoding stops there, leaving out the padding that fills the last AAC
/// frame (up to 1,023 samples), as gapless players do. That length is also the
/// promise a truncated download breaks (`announcedFrames`).
final class FFmpegDecoder: FrameDecoder {
    private let reader: UnsafeMutablePointer<tg_av_reader>
    private let fd: Int32
    let sampleRate: Int
    let channels: Int
    /// FFmpeg's codec name (`aac`, `alac`, `opus`, ...).
    let codec: String
    /// FFmpeg's demuxer name (`mov,mp4,m4a,3gp,3g2,mj2`, `aac`, `matroska,webm`).
    let container: String
    /// Samples per channel the container announces exactly (MP4 only); nil when
    /// it announces none or only an estimate (ADTS and Matroska lengths are
    /// estimated from the bit rate or rounded to milliseconds).
    let announcedFrames: Int?
    let tags: AudioTags
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchFrames = 4096
    private var emitted = 0
    /// The container could not deliver part of the stream (a read error or a
    /// packet cut short): a decoding error after it is the end of a cut file.
    private var damaged: Int32 = 0
    /// An error met after some frames of a call were decoded: those frames are
    /// handed out, and the next call throws it.
    private var pendingFailure: DecoderFailure?

    /// Opens the best audio stream of the file on `fd` (`size` bytes), which
    /// this decoder then owns (also when it throws).
    init(fd: Int32, size: UInt64) throws(FFmpegOpenFailure) {
        var opened: UnsafeMutablePointer<tg_av_reader>?
        var code: Int32 = 0
        let stage = tg_av_open(fd, Int64(clamping: size), &opened, &code)
        guard stage == Int32(TG_AV_OK), let reader = opened else {
            close(fd)
            throw FFmpegOpenFailure(stage: Int(stage), code: code, message: Self.message(code))
        }
        self.reader = reader
        self.fd = fd
        sampleRate = Int(tg_av_rate(reader))
        channels = Int(tg_av_channels(reader))
        codec = String(cString: tg_av_codec_name(reader))
        container = String(cString: tg_av_container_name(reader))
        let announced = tg_av_announced_frames(reader)
        announcedFrames = container.hasPrefix("mov,") && announced > 0 ? Int(announced) : nil
        var tags = AudioTags()
        func tag(_ key: String) -> String? {
            guard let raw = tg_av_tag(reader, key) else { return nil }
            let value = String(cString: raw)
            return value.isEmpty ? nil : value
        }
        tags.title = tag("title")
        tags.artist = tag("artist")
        tags.album = tag("album")
        tags.date = tag("date")
        tags.genre = tag("genre")
        tags.comment = tag("comment")
        tags.software = tag("encoder")
        self.tags = tags
        scratch = .allocate(capacity: scratchFrames * max(1, channels))
    }

    deinit {
        tg_av_close(reader)
        scratch.deallocate()
        close(fd)
    }

    func decode(into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int,
                frames: Int) throws(DecoderFailure) -> Int {
        if let failure = pendingFailure {
            pendingFailure = nil
            throw failure
        }
        var want = min(frames, scratchFrames)
        if let announcedFrames { want = min(want, announcedFrames - emitted) }
        guard want > 0, channels > 0 else { return 0 }
        var got: Int32 = 0
        let rc = tg_av_read(reader, scratch, Int32(want), &got, &damaged)
        var failure: DecoderFailure?
        if damaged != 0 && announcedFrames == nil && (rc < 0 || got == 0) {
            // The file ends inside the stream, and no length was announced to check against.
            failure = DecoderFailure(message: "the file ends inside an audio packet", cutShort: true)
        } else if rc < 0 && damaged == 0 {
            failure = DecoderFailure(message: Self.message(rc))
        }
        // (A cut packet of a stream with an announced length ends it here;
        // `SoundFile` then compares what decoded with the announcement.)
        if got > 0 {
            Deinterleave.floats(scratch, frames: Int(got), channels: channels, into: planar, capacity: capacity, at: offset)
            emitted += Int(got)
            pendingFailure = failure
            return Int(got)
        }
        if let failure { throw failure }
        return 0
    }

    /// FFmpeg's sentence for a code, with the last line the libraries logged.
    static func message(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: 128)
        tg_av_error_text(code, &text, text.count)
        let sentence = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let logged = String(cString: tg_av_last_message())
        return logged.isEmpty || logged == sentence ? sentence : "\(sentence); \(logged)"
    }
}

/// Why FFmpeg could not open a file, by the stage that failed.
struct FFmpegOpenFailure: Error {
    let stage: Int
    let code: Int32
    let message: String

    var noAudio: Bool { stage == Int(TG_AV_NO_AUDIO) }
    var noDecoder: Bool { stage == Int(TG_AV_NO_DECODER) || stage == Int(TG_AV_DECODER_FAILED) }
}
