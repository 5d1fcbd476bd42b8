import AudioCore
import CSndFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An audio file open for reading, whatever library decodes it.
///
/// The file is opened once; what it is is decided by its bytes, never its name
/// (`ContainerProbe`): text saved under an audio name (an HTML, XML or JSON error
/// body) is `.notAudio` and never reaches a decoder. MPEG audio is decoded by
/// libmpg123 (`MPEGDecoder`); what libsndfile cannot read (AAC
/// or ALAC in MP4/M4A, ADTS AAC, Matroska/WebM) by FFmpeg's libraries
/// (`FFmpegDecoder`); everything else by libsndfile (`SndFileDecoder`).
///
/// Opening checks more than libsndfile does: a WAV or AIFF whose header
/// announces more audio than the file holds is an error (`.truncated` or
/// `.corrupt`), where libsndfile would quietly play the shorter file; header
/// sizes that mean "unknown" (0 or 0xFFFFFFFF, left by streaming writers) are
/// read to the end of the audio, and not into chunks that follow it. Reading
/// throws `.truncated` if a stream ends before the length its header announced
/// (FLAC STREAMINFO, an MP3's Xing/Info/LAME header, Ogg's last granule).
///
/// ```swift
/// var file = try SoundFile(path: "song.wav")
/// var block = AudioBlock(channelCount: file.info.channelCount)
/// while try file.read(into: &block) { meter.add(block) }
/// ```
public struct SoundFile: ~Copyable {
    public let info: AudioFileInfo
    private let decoder: any FrameDecoder
    /// The frame count the stream must reach: a header's promise, checked at the end.
    private let promisedFrames: Int?
    /// Frames the decoded stream may fall short of the promise (MP3 frame rounding).
    private let promiseSlack: Int
    /// Frames handed out so far.
    public private(set) var position: Int = 0

    /// Sample rates TrackGate reads: 8 kHz (telephone band; BS.1770's K-weighting
    /// shelf at 1.68 kHz needs a Nyquist frequency well above it) to 768 kHz
    /// (twice the highest rate of current converters). A header outside this is
    /// damaged or not music.
    public static let sampleRates = 8_000...768_000
    /// libsndfile's own limit on channels (SF_MAX_CHANNELS).
    public static let maximumChannels = 1024
    /// The largest float sample read as a number: 10^9 (+180 dBFS). No audio
    /// processing makes such a level, and squares of larger values overflow the
    /// single-precision sums of the meters (past about 10^19). A float sample
    /// beyond it (or NaN, or infinite) is read as NaN, which the checks count
    /// as broken and the meters take as silence.
    public static let largestSample: Float = 1e9

    /// Opens `path` for one pass.
    public init(path: String) throws(AudioIOError) {
        try self.init(input: InputFile(path: path), path: path)
    }

    /// A pass over a file opened once for a whole job (see `AudioSource`).
    ///
    /// - Throws: `.changed` when the file was written to since the source was
    ///   opened; otherwise as `init(path:)`.
    public init(source: AudioSource) throws(AudioIOError) {
        source.countDecodingPass()
        try self.init(input: InputFile(duplicating: source), path: source.path)
    }

    private init(input: consuming InputFile, path: String) throws(AudioIOError) {
        let fileSize = input.size
        let probe = ContainerProbe(fd: input.descriptor, fileSize: fileSize)
        if probe.isText { throw AudioIOError(.notAudio, path: path, detail: probe.notAudioExplanation) }
        // MPEG audio, also inside a WAV (format tag 0x55): libmpg123 skips the RIFF header itself.
        let mpeg = probe.magic == .mp3 || (probe.magic == .riff && probe.formatTag == 0x55)
        let opened = if mpeg {
            try Self.openMPEG(fd: input.take(), path: path, fileSize: fileSize, probe: probe)
        } else if [.mp4, .adts, .matroska].contains(probe.magic) {
            try Self.openFFmpeg(fd: input.take(), path: path, fileSize: fileSize, probe: probe)
        } else {
            try Self.openSndFile(fd: input.take(), path: path, fileSize: fileSize, probe: probe)
        }
        guard (1...Self.maximumChannels).contains(opened.info.channelCount) else {
            throw AudioIOError(.corrupt, path: path, detail: "damaged header: \(opened.info.channelCount) channels")
        }
        guard Self.sampleRates.contains(opened.info.sampleRate) else {
            throw AudioIOError(.unsupported, path: path, detail: "a sample rate of \(opened.info.sampleRate) Hz is outside what "
                + "TrackGate reads (8000 to 768000 Hz): a damaged header, or not music")
        }
        self.info = opened.info
        self.decoder = opened.decoder
        self.promisedFrames = opened.promised
        self.promiseSlack = opened.slack
    }

    private typealias Opened = (decoder: any FrameDecoder, info: AudioFileInfo, promised: Int?, slack: Int)

    private static func openMPEG(fd: Int32, path: String, fileSize: UInt64, probe: ContainerProbe) throws(AudioIOError) -> Opened {
        let decoder: MPEGDecoder
        do {
            decoder = try MPEGDecoder(fd: fd, lengthHeader: probe.hasLengthHeader)
        } catch {
            if error.endOfData {
                throw AudioIOError(.truncated, path: path, detail: "truncated: the MP3 ends before its first complete "
                                       + "audio frame (an interrupted download?)")
            }
            throw AudioIOError(.corrupt, path: path,
                               detail: "damaged MP3: no MPEG audio frame could be decoded (libmpg123: \(error.message))")
        }
        let codec = decoder.layer == 1 ? "mp1" : decoder.layer == 2 ? "mp2" : "mp3"
        let info = AudioFileInfo(
            path: path, encoding: AudioEncoding(container: probe.magic == .riff ? "wav" : "mp3", codec: codec),
            sampleRate: decoder.sampleRate,
            channelCount: decoder.channels, frameCount: decoder.frameCount, channelLayout: nil, tags: decoder.tags,
            broadcastInfo: nil, cuePoints: [], fileSize: fileSize)
        // Gapless decoding of a complete stream gives the LAME tag's count exactly;
        // one MPEG frame (1152 samples) of slack covers streams with a Xing count only.
        return (decoder, info, decoder.lengthFromHeader ? decoder.frameCount : nil, 1152)
    }

    private static func openFFmpeg(fd: Int32, path: String, fileSize: UInt64, probe: ContainerProbe) throws(AudioIOError) -> Opened {
        let format = formatName(probe.magic)
        // The boxes or the segment size already tell a cut or damaged file.
        if let error = findingError(probe.finding, path: path) {
            close(fd)
            throw error
        }
        let decoder: FFmpegDecoder
        do {
            decoder = try FFmpegDecoder(fd: fd, size: fileSize)
        } catch {
            let library = "(FFmpeg: \(error.message))"
            if error.noAudio {
                throw AudioIOError(.notAudio, path: path, detail: "not audio: the \(format) file holds no audio stream \(library)")
            }
            if error.noDecoder {
                throw AudioIOError(.unsupported, path: path, detail: "unsupported encoding: this \(format) file stores "
                                       + "its audio in a codec this build of FFmpeg cannot decode \(library)")
            }
            throw AudioIOError(.corrupt, path: path, detail: "damaged \(format) file: its streams cannot be read \(library)")
        }
        let container = switch probe.magic {
        case .adts: "aac"
        case .matroska: "matroska"
        default: "mp4"
        }
        let info = AudioFileInfo(
            path: path, encoding: AudioEncoding(container: container, codec: decoder.codec),
            sampleRate: decoder.sampleRate, channelCount: decoder.channels, frameCount: decoder.announcedFrames,
            channelLayout: nil, tags: decoder.tags, broadcastInfo: nil, cuePoints: [], fileSize: fileSize)
        // An MP4's length is exact (its edit list or media header) and decoding
        // stops there; one AAC frame of slack covers a length that counts the
        // encoder delay as well. It is a promise only where the boxes cannot
        // show a cut (`ContainerProbe.mp4OpenEnded`).
        return (decoder, info, probe.mp4OpenEnded ? decoder.announcedFrames : nil, 1024)
    }

    private static func openSndFile(fd: Int32, path: String, fileSize: UInt64,
                                    probe: ContainerProbe) throws(AudioIOError) -> Opened {
        let decoder: SndFileDecoder
        let sfInfo: SF_INFO
        switch SndFileDecoder.open(fd: fd, size: fileSize, patches: probe.patches) {
        case .success(let opened): (decoder, sfInfo) = opened
        case .failure(let failure):
            close(fd)
            throw Self.openError(failure, path: path, probe: probe)
        }
        let encoding = AudioEncoding(sfFormat: sfInfo.format)
        switch probe.finding {
        case .dataShort(let extent): throw Self.shortDataError(extent, path: path, info: sfInfo, encoding: encoding)
        // libsndfile read a header the probe saw cut: what it read stands.
        case .headerCut: break
        case .fine, .inconsistent, .truncatedStream: if let error = Self.findingError(probe.finding, path: path) { throw error }
        }
        guard sfInfo.channels > 0, sfInfo.samplerate > 0 else {
            throw AudioIOError(.corrupt, path: path,
                               detail: "damaged header: \(sfInfo.channels) channels at \(sfInfo.samplerate) Hz")
        }
        let handle = decoder.handle
        // libsndfile says SF_COUNT_MAX when a header leaves the length open (a
        // FLAC from a streaming encoder has 0 total samples): unknown until decoded.
        let frames: Int? = sfInfo.frames >= 0 && sfInfo.frames < sf_count_t(Int64.max) ? Int(sfInfo.frames) : nil
        let info = AudioFileInfo(
            path: path, encoding: encoding, sampleRate: Int(sfInfo.samplerate),
            channelCount: Int(sfInfo.channels), frameCount: frames,
            channelLayout: Self.channelLayout(handle, channels: Int(sfInfo.channels)),
            tags: Self.tags(handle), broadcastInfo: Self.broadcastInfo(handle),
            cuePoints: Self.cuePoints(handle), fileSize: fileSize)
        return (decoder, info, frames, 0)
    }

    private static func cuePoints(_ handle: OpaquePointer) -> [Int] {
        var positions = [UInt32](repeating: 0, count: Int(TG_MAX_CUES))
        let n = tg_get_cues(handle, &positions, Int32(positions.count))
        return positions.prefix(Int(max(0, n))).map(Int.init)
    }

    /// Fills `block` with the next frames, up to its capacity.
    ///
    /// - Returns: false once the file is exhausted (the block is then empty).
    /// - Throws: `.readFailed` on a decoder error (naming the time it happened),
    ///   `.truncated` when the stream ends before the length its header announced.
    public mutating func read(into block: inout AudioBlock) throws(AudioIOError) -> Bool {
        precondition(block.channelCount == info.channelCount, "block has the wrong channel count")
        let decoder = self.decoder
        let capacity = block.capacity
        var failure: DecoderFailure?
        block.fill { planar in
            var filled = 0
            while filled < capacity {
                do throws(DecoderFailure) {
                    let got = try decoder.decode(into: planar, capacity: capacity, at: filled, frames: capacity - filled)
                    if got == 0 { break }
                    filled += got
                } catch {
                    failure = error
                    break
                }
            }
            return filled
        }
        position += block.frameCount
        if let failure, failure.cutShort {
            throw AudioIOError(.truncated, path: info.path, detail: "truncated: the stream breaks off after "
                + "\(Self.seconds(position, info.sampleRate)) (\(failure.message): an interrupted download?)")
        }
        if let failure {
            throw AudioIOError(.readFailed, path: info.path, detail: "the audio cannot be decoded after "
                + "\(Self.seconds(position, info.sampleRate)): the stream is damaged (\(decoderName): \(failure.message))")
        }
        if block.frameCount == 0, let promised = promisedFrames, position + promiseSlack < promised {
            throw AudioIOError(.truncated, path: info.path,
                               detail: "truncated: the stream ends after \(Self.seconds(position, info.sampleRate)) "
                                   + "of the \(Self.seconds(promised, info.sampleRate)) its header announces (an interrupted download?)")
        }
        return block.frameCount > 0
    }

    private var decoderName: String {
        decoder is MPEGDecoder ? "libmpg123" : decoder is FFmpegDecoder ? "FFmpeg" : "libsndfile"
    }

    /// Reads every remaining frame into memory. Meant for short files; stream long ones.
    public mutating func readAll() throws(AudioIOError) -> AudioBuffer {
        var channels = [[Float]](repeating: [], count: info.channelCount)
        // Reserve what the header announces, up to ten minutes at 48 kHz: the
        // announcement is untrusted and must not decide an allocation.
        let expected = min(max(0, (info.frameCount ?? 0) - position), 28_800_000)
        for c in channels.indices { channels[c].reserveCapacity(expected) }
        var block = AudioBlock(channelCount: info.channelCount, capacity: 65_536)
        while try read(into: &block) {
            for c in channels.indices { channels[c].append(contentsOf: block.channel(c)) }
        }
        return AudioBuffer(sampleRate: info.sampleRate, channels: channels)
    }

    /// Opens, reads everything and closes.
    public static func readAll(path: String) throws(AudioIOError) -> AudioBuffer {
        var file = try SoundFile(path: path)
        return try file.readAll()
    }
}

// MARK: - Opening

extension SoundFile {
    /// "12.34 s"; "N frames" when the rate gives no sensible time (a damaged header).
    static func seconds(_ frames: Int, _ rate: Int) -> String {
        guard rate > 0 else { return "\(frames) frames" }
        let hundredths = (Double(frames) / Double(rate) * 100).rounded()
        guard hundredths.isFinite, abs(hundredths) < 1e15 else { return "\(frames) frames" }
        let whole = Int(hundredths) / 100, frac = Int(hundredths) % 100
        return "\(whole).\(frac < 10 ? "0" : "")\(frac) s"
    }

    /// The error a probe's finding is on its own, from the bytes alone: a cut
    /// header or stream is `.truncated`, a contradiction `.corrupt`; nil for
    /// nothing found, and for a short data chunk (whose sentence needs the format).
    private static func findingError(_ finding: ContainerProbe.Finding, path: String) -> AudioIOError? {
        switch finding {
        case .headerCut(let where_): AudioIOError(.truncated, path: path, detail: "truncated header: \(where_)")
        case .truncatedStream(let sentence):
            AudioIOError(.truncated, path: path, detail: "truncated: \(sentence) (an interrupted download?)")
        case .inconsistent(let sentence): AudioIOError(.corrupt, path: path, detail: sentence)
        case .fine, .dataShort: nil
        }
    }

    /// The format the bytes announce, for messages.
    private static func formatName(_ magic: ContainerProbe.Magic) -> String {
        switch magic {
        case .riff: "WAV"
        case .rf64: "RF64 WAV"
        case .aiff: "AIFF"
        case .flac: "FLAC"
        case .ogg: "Ogg"
        case .mp3: "MP3"
        case .mp4: "MP4"
        case .adts: "AAC"
        case .matroska: "Matroska"
        default: "audio"
        }
    }

    /// An error for a file libsndfile would not open: TrackGate's sentence first,
    /// libsndfile's own words after it in parentheses.
    private static func openError(_ failure: LibSndFile.OpenFailure, path: String, probe: ContainerProbe) -> AudioIOError {
        // A cut file says so whatever libsndfile made of it; other findings leave its reason.
        switch probe.finding {
        case .headerCut, .truncatedStream: if let error = findingError(probe.finding, path: path) { return error }
        case .fine, .dataShort, .inconsistent: break
        }
        let library = "(libsndfile: \(failure.message))"
        let format = formatName(probe.magic)
        switch failure.code {
        case Int32(SF_ERR_UNRECOGNISED_FORMAT):
            switch probe.magic {
            case .unknown: return AudioIOError(.notAudio, path: path, detail: probe.notAudioExplanation)
            default: return AudioIOError(.corrupt, path: path, detail: "damaged \(format) file: the header is not one "
                                            + "libsndfile can read \(library)")
            }
        // 18 is libsndfile's SFE_UNIMPLEMENTED: a known container with an encoding it lacks.
        case Int32(SF_ERR_UNSUPPORTED_ENCODING), 18:
            return AudioIOError(.unsupported, path: path, detail: "unsupported encoding: this \(format) file stores "
                                    + "its audio in a way libsndfile cannot decode \(library)")
        default:
            let what: String = switch probe.magic {
            case .flac: "damaged FLAC file: its stream header (STREAMINFO) cannot be decoded"
            case .ogg: "damaged Ogg file: no Vorbis or Opus stream can be started from its first pages"
            default: "damaged \(format) header: the format description cannot be used"
            }
            return AudioIOError(.corrupt, path: path, detail: "\(what) \(library)")
        }
    }

    private static func shortDataError(_ extent: ContainerProbe.DataExtent, path: String,
                                       info: SF_INFO, encoding: AudioEncoding) -> AudioIOError {
        var declared = "\(extent.declaredBytes) bytes of audio"
        var available = "\(extent.availableBytes) bytes"
        if let bits = encoding.bitDepth, !encoding.isLossy, info.samplerate > 0, info.channels > 0 {
            let frameBytes = UInt64(Int(info.channels) * ((bits + 7) / 8))
            let rate = Int(info.samplerate)
            declared = seconds(Int(extent.declaredBytes / frameBytes), rate) + " of audio"
            available = seconds(Int(extent.availableBytes / frameBytes), rate)
        }
        if extent.outerSizeAgrees {
            return AudioIOError(.truncated, path: path,
                                detail: "truncated: the header announces \(declared) but the file ends after \(available) (an interrupted download?)")
        }
        return AudioIOError(.corrupt, path: path,
                            detail: "damaged header: the data size field claims \(declared) but the file holds \(available)")
    }

    private static func tags(_ handle: OpaquePointer) -> AudioTags {
        var tags = AudioTags()
        for field in AudioTags.fields {
            if let raw = sf_get_string(handle, field.sfType) {
                let value = String(cString: raw)
                if !value.isEmpty { tags[keyPath: field.path] = value }
            }
        }
        return tags
    }

    private static func broadcastInfo(_ handle: OpaquePointer) -> BroadcastInfo? {
        var out = tg_bext_out()
        guard tg_get_bext(handle, &out) != 0 else { return nil }
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var loudness: BroadcastInfo.Loudness?
        if out.version >= 2 {
            typealias L = BroadcastInfo.Loudness
            loudness = .init(integratedLUFS: L.value(Int16(truncatingIfNeeded: out.loudness_value)),
                             rangeLU: L.value(Int16(truncatingIfNeeded: out.loudness_range)),
                             maxTruePeakDBTP: L.value(Int16(truncatingIfNeeded: out.max_true_peak_level)),
                             maxMomentaryLUFS: L.value(Int16(truncatingIfNeeded: out.max_momentary_loudness)),
                             maxShortTermLUFS: L.value(Int16(truncatingIfNeeded: out.max_shortterm_loudness)))
        }
        return BroadcastInfo(description: text(&out.description), originator: text(&out.originator),
                             originatorReference: text(&out.originator_reference),
                             originationDate: text(&out.origination_date),
                             originationTime: text(&out.origination_time),
                             timeReference: out.time_reference, codingHistory: text(&out.coding_history),
                             loudness: loudness)
    }

    private static func channelLayout(_ handle: OpaquePointer, channels: Int) -> [ChannelPosition]? {
        var map = [Int32](repeating: 0, count: channels)
        let ok = map.withUnsafeMutableBytes {
            sf_command(handle, Int32(SFC_GET_CHANNEL_MAP_INFO), $0.baseAddress, Int32($0.count))
        }
        guard ok == Int32(SF_TRUE) else { return nil }
        let positions = map.compactMap(ChannelPosition.init(sfValue:))
        return positions.count == channels ? positions : nil
    }
}
