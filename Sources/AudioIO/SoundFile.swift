import CSndFile
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An audio file open for reading: the single owner of a libsndfile handle.
///
/// Opening checks more than libsndfile does: a WAV or AIFF whose header announces
/// more audio than the file holds is an error (`.truncated` or `.corrupt`), where
/// libsndfile would quietly play the shorter file. Reading stops with `.truncated`
/// if a FLAC, Ogg or MP3 stream ends before the frame count it announced.
///
/// ```swift
/// var file = try SoundFile(path: "song.wav")
/// var block = AudioBlock(channelCount: file.info.channelCount)
/// while try file.read(into: &block) { meter.add(block) }
/// ```
public struct SoundFile: ~Copyable {
    public let info: AudioFileInfo
    private let handle: OpaquePointer
    private let interleaved: UnsafeMutableBufferPointer<Float>
    private let scratchFrames: Int
    /// Frames handed out so far, to catch streams that end early.
    public private(set) var position: Int = 0

    public init(path: String) throws(AudioIOError) {
        let fileSize = try Self.checkReadable(path)
        let probe = try Self.probe(path: path, fileSize: fileSize)

        var sfInfo = SF_INFO()
        let handle: OpaquePointer
        switch LibSndFile.open(path: path, mode: Int32(SFM_READ), info: &sfInfo) {
        case .success(let h): handle = h
        case .failure(let failure): throw Self.openError(failure, path: path, probe: probe)
        }

        let encoding = AudioEncoding(sfFormat: sfInfo.format)
        if case .dataShort(let extent) = probe.finding {
            sf_close(handle)
            throw Self.shortDataError(extent, path: path, info: sfInfo, encoding: encoding)
        }
        guard sfInfo.channels > 0, sfInfo.samplerate > 0 else {
            sf_close(handle)
            throw AudioIOError(.corrupt, path: path,
                               detail: "damaged header: \(sfInfo.channels) channels at \(sfInfo.samplerate) Hz")
        }

        self.handle = handle
        // Integer PCM beyond full scale cannot exist; float files keep their values.
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
        self.info = AudioFileInfo(
            path: path, encoding: encoding, sampleRate: Int(sfInfo.samplerate),
            channelCount: Int(sfInfo.channels), frameCount: Int(max(0, sfInfo.frames)),
            channelLayout: Self.channelLayout(handle, channels: Int(sfInfo.channels)),
            tags: Self.tags(handle), broadcastInfo: Self.broadcastInfo(handle),
            cuePoints: Self.cuePoints(handle), fileSize: fileSize)
        self.scratchFrames = 8192
        self.interleaved = .allocate(capacity: scratchFrames * Int(sfInfo.channels))
    }

    private static func cuePoints(_ handle: OpaquePointer) -> [Int] {
        var positions = [UInt32](repeating: 0, count: Int(TG_MAX_CUES))
        let n = tg_get_cues(handle, &positions, Int32(positions.count))
        return positions.prefix(Int(max(0, n))).map(Int.init)
    }

    deinit {
        sf_close(handle)
        interleaved.deallocate()
    }

    /// Fills `block` with the next frames, up to its capacity.
    ///
    /// - Returns: false once the file is exhausted (the block is then empty).
    /// - Throws: `.readFailed` on a decoder error, `.truncated` when the stream
    ///   ends before the frame count announced at open.
    public mutating func read(into block: inout AudioBlock) throws(AudioIOError) -> Bool {
        precondition(block.channelCount == info.channelCount, "block has the wrong channel count")
        let channels = info.channelCount
        let handle = self.handle
        let scratch = interleaved
        let chunk = scratchFrames
        let capacity = block.capacity
        var failure: String?
        // 16-bit PCM is read as integers and scaled here, in the same pass as the
        // deinterleaving (the scale is the 1/32768 libsndfile's float read uses, so
        // the values are identical); everything else through libsndfile's float read.
        let shorts = info.encoding.codec == "pcm_s16"
        block.fill { planar in
            var filled = 0
            while filled < capacity {
                let want = min(chunk, capacity - filled)
                let got = shorts
                    ? Int(sf_readf_short(handle, UnsafeMutableRawPointer(scratch.baseAddress!).assumingMemoryBound(to: Int16.self),
                                         sf_count_t(want)))
                    : Int(sf_readf_float(handle, scratch.baseAddress, sf_count_t(want)))
                if got <= 0 {
                    failure = LibSndFile.lastError(handle)
                    break
                }
                if shorts {
                    Self.deinterleave(shorts: UnsafeRawPointer(scratch.baseAddress!), frames: got, channels: channels,
                                      into: planar, capacity: capacity, at: filled)
                } else {
                    // Deinterleave: frame-major from libsndfile into channel-major storage.
                    for c in 0..<channels {
                        let base = c * capacity + filled
                        var src = c
                        for i in 0..<got {
                            planar[base + i] = scratch[src]
                            src += channels
                        }
                    }
                }
                filled += got
                if got < want { break }
            }
            return filled
        }
        position += block.frameCount
        if let failure {
            throw AudioIOError(.readFailed, path: info.path, detail: "decoding failed after \(position) frames: \(failure)")
        }
        if block.frameCount == 0 && position < info.frameCount && info.encoding.container != "mp3" {
            throw AudioIOError(.truncated, path: info.path,
                               detail: "truncated: the stream ends after \(Self.seconds(position, info.sampleRate)) "
                                   + "of the \(Self.seconds(info.frameCount, info.sampleRate)) it announces")
        }
        return block.frameCount > 0
    }

    /// Interleaved 16-bit frames to channel-major floats at `offset` of each
    /// channel's `capacity`-long stretch; stereo eight frames at a time.
    private static func deinterleave(shorts: UnsafeRawPointer, frames: Int, channels: Int,
                                     into planar: UnsafeMutableBufferPointer<Float>, capacity: Int, at offset: Int) {
        let scale: Float = 1.0 / 32_768
        let out = planar.baseAddress!
        var i = 0
        if channels == 2 {
            let left = UnsafeMutableRawPointer(out + offset), right = UnsafeMutableRawPointer(out + capacity + offset)
            while i + 8 <= frames {
                let v = shorts.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Int16>.self)
                left.storeBytes(of: SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v.evenHalf)) * scale,
                                toByteOffset: 4 * i, as: SIMD8<Float>.self)
                right.storeBytes(of: SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v.oddHalf)) * scale,
                                 toByteOffset: 4 * i, as: SIMD8<Float>.self)
                i += 8
            }
        }
        let samples = shorts.assumingMemoryBound(to: Int16.self)
        for c in 0..<channels {
            let base = c * capacity + offset
            for f in i..<frames { out[base + f] = Float(samples[f * channels + c]) * scale }
        }
    }

    /// Reads every remaining frame into memory. Meant for short files; stream long ones.
    public mutating func readAll() throws(AudioIOError) -> AudioBuffer {
        var channels = [[Float]](repeating: [], count: info.channelCount)
        for c in channels.indices { channels[c].reserveCapacity(max(0, info.frameCount - position)) }
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
    static func seconds(_ frames: Int, _ rate: Int) -> String {
        guard rate > 0 else { return "\(frames) frames" }
        let hundredths = (Double(frames) / Double(rate) * 100).rounded()
        let whole = Int(hundredths) / 100, frac = Int(hundredths) % 100
        return "\(whole).\(frac < 10 ? "0" : "")\(frac) s"
    }

    /// Turns the OS's view of the path into the errors people expect, before
    /// libsndfile's less specific ones can hide them.
    private static func checkReadable(_ path: String) throws(AudioIOError) -> UInt64 {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw AudioIOError(.missing, path: path, detail: "no such file") }
            throw AudioIOError(.unreadable, path: path, detail: String(cString: strerror(code)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw AudioIOError(.unreadable, path: path, detail: "is a folder, not an audio file") }
        guard access(path, R_OK) == 0 else { throw AudioIOError(.unreadable, path: path, detail: "permission denied") }
        if st.st_size == 0 { throw AudioIOError(.empty, path: path, detail: "empty file (0 bytes): an interrupted download?") }
        return UInt64(st.st_size)
    }

    private static func probe(path: String, fileSize: UInt64) throws(AudioIOError) -> ContainerProbe {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw AudioIOError(.unreadable, path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        return ContainerProbe(fd: fd, fileSize: fileSize)
    }

    private static func openError(_ failure: LibSndFile.OpenFailure, path: String, probe: ContainerProbe) -> AudioIOError {
        if case .headerCut(let where_) = probe.finding {
            return AudioIOError(.truncated, path: path, detail: "truncated header: \(where_)")
        }
        switch failure.code {
        case Int32(SF_ERR_UNRECOGNISED_FORMAT):
            let kind: AudioIOError.Kind = switch probe.magic {
            case .unknown, .html, .json, .xml, .text: .notAudio
            case .mp4: .unsupported
            default: .corrupt
            }
            return AudioIOError(kind, path: path, detail: probe.notAudioExplanation)
        case Int32(SF_ERR_SYSTEM):
            return AudioIOError(.unreadable, path: path, detail: failure.message)
        // 18 is libsndfile's SFE_UNIMPLEMENTED: a known container with an encoding it lacks.
        case Int32(SF_ERR_UNSUPPORTED_ENCODING), 18:
            return AudioIOError(.unsupported, path: path, detail: "unsupported encoding: \(failure.message)")
        default:
            return AudioIOError(.corrupt, path: path, detail: "damaged file: \(failure.message)")
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
            loudness = .init(integratedLUFS: Double(out.loudness_value) / 100,
                             rangeLU: Double(out.loudness_range) / 100,
                             maxTruePeakDBTP: Double(out.max_true_peak_level) / 100,
                             maxMomentaryLUFS: Double(out.max_momentary_loudness) / 100,
                             maxShortTermLUFS: Double(out.max_shortterm_loudness) / 100)
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
