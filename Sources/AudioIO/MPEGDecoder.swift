import CMPG123
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MPEG audio (MP3, and MP2/MP1) through libmpg123: the owner of the decoding
/// handle and the file descriptor it reads.
///
/// libsndfile decodes MP3 with the same library but leaves it in its default
/// mode, which prints resynchronisation notes and errors straight to standard
/// error, and takes the length a Xing/Info header announces on trust. Owning the
/// handle lets TrackGate keep the library quiet, keep its gapless trimming
/// (encoder delay and padding from the LAME tag), and know whether the length is
/// a header's promise that the decoded stream must keep.
final class MPEGDecoder: FrameDecoder {
    private let handle: OpaquePointer
    private let fd: Int32
    let sampleRate: Int
    let channels: Int
    let layer: Int
    /// Samples per channel: from a Xing/Info/LAME or VBRI header, or counted by
    /// scanning every frame header when the stream has no such header.
    let frameCount: Int?
    /// True when `frameCount` came from the stream's header (a promise the
    /// decoded stream can break by ending early), false when it was counted.
    let lengthFromHeader: Bool
    let tags: AudioTags
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchFrames = 4608

    /// Opens the stream on `fd`, which this decoder then owns (also when it throws).
    ///
    /// - Parameter lengthHeader: the stream opens with a Xing, Info or VBRI frame
    ///   (`MPEGFrameHeader.hasLengthHeader`). libmpg123 cannot say so itself:
    ///   without one its length is an estimate from the file size, so the frames
    ///   are counted instead.
    init(fd: Int32, lengthHeader: Bool) throws(DecoderFailure) {
        var error: Int32 = 0
        guard let handle = tg_mp3_open(fd, &error) else {
            close(fd)
            throw DecoderFailure(message: Self.text(error))
        }
        var rate = 0, channels: Int32 = 0
        let formatCode = tg_mp3_format(handle, &rate, &channels)
        guard formatCode == MPG123_OK.rawValue, rate > 0, channels > 0 else {
            let message = formatCode == MPG123_OK.rawValue ? "no audio format" : Self.text(formatCode, handle)
            mpg123_delete(handle)
            close(fd)
            throw DecoderFailure(message: message, endOfData: formatCode == MPG123_DONE.rawValue
                                 || formatCode == MPG123_NEED_MORE.rawValue)
        }
        self.handle = handle
        self.fd = fd
        self.sampleRate = rate
        self.channels = Int(channels)
        self.layer = Int(tg_mp3_layer(handle))
        let length = tg_mp3_length(handle, lengthHeader ? 0 : 1)
        self.lengthFromHeader = lengthHeader && length >= 0
        self.frameCount = length >= 0 ? Int(length) : nil
        self.tags = Self.readTags(handle)
        scratch = .allocate(capacity: scratchFrames * Int(channels))
    }

    deinit {
        mpg123_delete(handle)
        scratch.deallocate()
        close(fd)
    }

    func decode(into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int,
                frames: Int) throws(DecoderFailure) -> Int {
        let want = min(frames, scratchFrames)
        var done = 0
        let rc = tg_mp3_read(handle, scratch, want * channels * 4, &done)
        let got = done / (channels * 4)
        if got > 0 {
            Deinterleave.floats(scratch, frames: got, channels: channels, into: planar, capacity: capacity, at: offset)
        }
        switch rc {
        case MPG123_OK.rawValue, MPG123_DONE.rawValue, MPG123_NEED_MORE.rawValue:
            return got
        case MPG123_NEW_FORMAT.rawValue:
            // The output format is fixed at open; a new one is announced once at the start.
            return got
        default:
            if got > 0 { return got }
            throw DecoderFailure(message: Self.text(rc, handle))
        }
    }

    private static func text(_ code: Int32, _ handle: OpaquePointer? = nil) -> String {
        if let handle, code == MPG123_ERR.rawValue { return String(cString: mpg123_strerror(handle)) }
        return String(cString: mpg123_plain_strerror(code))
    }

    /// Title, artist, album, year, genre and comment from ID3v2 (or ID3v1).
    private static func readTags(_ handle: OpaquePointer) -> AudioTags {
        var tags = AudioTags()
        var v1: UnsafeMutablePointer<mpg123_id3v1>?
        var v2: UnsafeMutablePointer<mpg123_id3v2>?
        guard mpg123_meta_check(handle) & MPG123_ID3 != 0, mpg123_id3(handle, &v1, &v2) == MPG123_OK.rawValue else {
            return tags
        }
        func text(_ s: UnsafeMutablePointer<mpg123_string>?) -> String? {
            guard let raw = tg_mp3_text(s) else { return nil }
            let value = String(cString: raw)
            return value.isEmpty ? nil : value
        }
        if let v2 = v2?.pointee {
            tags.title = text(v2.title)
            tags.artist = text(v2.artist)
            tags.album = text(v2.album)
            tags.date = text(v2.year)
            tags.genre = text(v2.genre)
            tags.comment = text(v2.comment)
        }
        if tags.isEmpty, let v1 = v1?.pointee {
            func field<T>(_ value: T) -> String? {
                // ID3v1 text is ISO 8859-1: each byte is the code point of the same number.
                let s = withUnsafeBytes(of: value) { bytes in
                    String(String.UnicodeScalarView(bytes.prefix { $0 != 0 }.map { Unicode.Scalar($0) }))
                }.trimmingCharacters(in: " ")
                return s.isEmpty ? nil : s
            }
            tags.title = field(v1.title)
            tags.artist = field(v1.artist)
            tags.album = field(v1.album)
            tags.date = field(v1.year)
        }
        return tags
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return String(s)
    }
}
