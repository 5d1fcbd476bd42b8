import AudioCore
import CSndFile

/// Writes a WAV, FLAC, MP3 or Opus file atomically: the single owner of a
/// libsndfile write handle and of the temporary file behind it.
///
/// Everything that describes the file (format, tags, the `bext` chunk) is given
/// to the initialiser, because libsndfile drops FLAC and Ogg string tags set
/// after the first frame is written; with no setter, that mistake cannot be made.
/// Nothing appears under `path` until `commit()`; a writer dropped without a
/// commit (an error, a cancelled job) removes its temporary file.
///
/// Integer formats are quantised here by a `Quantizer`, not by libsndfile:
/// samples are scaled by 2^(bits-1), the same factor libsndfile divides by when
/// it reads, optionally TPDF dithered, rounded to the nearest step and clipped
/// to the format's range. (libsndfile's own float path scales by 2^(bits-1) - 1
/// on write, so a decode and re-encode would not be bit-exact.)
public struct SoundFileWriter: ~Copyable {
    /// The most cue markers a file takes: libsndfile's fixed `SF_CUES` holds 100.
    public static let maximumCuePoints = Int(TG_MAX_CUES)

    public let path: String
    public let format: OutputFormat
    public let sampleRate: Int
    public let channelCount: Int
    private let handle: OpaquePointer
    private var output: AtomicOutputFile?
    private var handleClosed = false
    private let interleaved: UnsafeMutableBufferPointer<Float>
    private let quantised: UnsafeMutableBufferPointer<Int32>
    private var quantizer: Quantizer?
    /// Tags set in the finished file by `TagEditor` (MP3's ID3v2 tag).
    private let laterTags: [TagField]
    private let scratchFrames = 8192
    public private(set) var framesWritten = 0

    public init(path: String, format: OutputFormat, sampleRate: Int, channelCount: Int,
                tags: AudioTags = AudioTags(), broadcastInfo: BroadcastInfo? = nil,
                cuePoints: [Int] = [], dither: Bool = false, ditherSeed: UInt64 = 0x5EED_7D1F,
                replaceExisting: Bool = false) throws(AudioIOError) {
        guard (1...655_350).contains(sampleRate) else {
            throw AudioIOError(.invalidArgument, path: path, detail: "sample rate \(sampleRate) Hz is out of range")
        }
        guard channelCount >= 1 else {
            throw AudioIOError(.invalidArgument, path: path, detail: "\(channelCount) channels cannot be written as \(format)")
        }
        if let problem = format.encoderProblem(sampleRate: sampleRate, channelCount: channelCount) {
            throw AudioIOError(.invalidArgument, path: path, detail: problem)
        }
        if broadcastInfo != nil && format.container != .wav {
            throw AudioIOError(.invalidArgument, path: path, detail: "a bext chunk can only be written to WAV")
        }
        if !cuePoints.isEmpty {
            guard format.container == .wav else {
                throw AudioIOError(.invalidArgument, path: path, detail: "cue markers can only be written to WAV")
            }
            guard cuePoints.count <= Self.maximumCuePoints, cuePoints.allSatisfy({ (0...Int(UInt32.max)).contains($0) }) else {
                throw AudioIOError(.invalidArgument, path: path, detail: "at most \(TG_MAX_CUES) cue markers, at frame positions from 0")
            }
        }
        let output = try AtomicOutputFile(path: path, replaceExisting: replaceExisting)

        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channelCount)
        info.format = format.sfFormat
        let handle: OpaquePointer
        switch LibSndFile.open(fd: output.descriptor, mode: Int32(SFM_WRITE), info: &info) {
        case .success(let h): handle = h
        case .failure(let failure):
            throw AudioIOError(.writeFailed, path: path, detail: "cannot start \(format) output: \(failure.message)")
        }

        // Metadata before the first frame: libsndfile ignores it afterwards for FLAC.
        do throws(AudioIOError) {
            if let kbps = format.bitrateKbps(sampleRate: sampleRate, channelCount: channelCount) {
                try Self.setBitrate(kbps, format: format, handle: handle, path: path, sampleRate: sampleRate, channelCount: channelCount)
            }
            if let broadcastInfo { try Self.setBroadcastInfo(broadcastInfo, handle: handle, path: path) }
            // libsndfile puts MP3 tags in a 30-character ID3v1 trailer only; they go in an ID3v2 tag at `close()`.
            if format.container != .mp3 { try Self.setTags(tags, handle: handle, path: path, format: format) }
            if !cuePoints.isEmpty {
                let positions = cuePoints.map { UInt32($0) }
                guard tg_set_cues(handle, positions, Int32(positions.count)) != 0 else {
                    throw AudioIOError(.writeFailed, path: path, detail: "libsndfile refused the cue markers")
                }
            }
        } catch {
            sf_close(handle)
            throw error
        }

        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.handle = handle
        self.laterTags = format.container == .mp3 ? tags.vorbisFields : []
        self.output = consume output
        self.interleaved = .allocate(capacity: scratchFrames * channelCount)
        self.quantised = .allocate(capacity: format.sampleFormat.isFloat ? 0 : scratchFrames * channelCount)
        // Float output keeps every value; dither only ever applies to integers.
        self.quantizer = format.sampleFormat.isFloat ? nil
            : Quantizer(bits: format.sampleFormat.bitDepth, dithered: dither, seed: ditherSeed)
    }

    /// CBR for MP3 (a player's duration and seeking come out exact), libopus's
    /// default VBR for Opus, at the bit rate's compression level.
    private static func setBitrate(_ kbps: Int, format: OutputFormat, handle: OpaquePointer, path: String,
                                   sampleRate: Int, channelCount: Int) throws(AudioIOError) {
        var level = format.compressionLevel(kbps: kbps, sampleRate: sampleRate, channelCount: channelCount)
        guard sf_command(handle, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size)) == SF_TRUE else {
            throw AudioIOError(.writeFailed, path: path, detail: "the \(format) encoder refused \(kbps) kbit/s")
        }
        // After the level: libsndfile reads the level again for the mode, and refuses a mode with no level set.
        if format.container == .mp3 {
            var mode = Int32(SF_BITRATE_MODE_CONSTANT)
            guard sf_command(handle, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size)) == SF_TRUE else {
                throw AudioIOError(.writeFailed, path: path, detail: "the MP3 encoder refused constant bit rate")
            }
        }
    }

    private static func setTags(_ tags: AudioTags, handle: OpaquePointer, path: String,
                                format: OutputFormat) throws(AudioIOError) {
        for field in AudioTags.fields {
            guard let value = tags[keyPath: field.path], !value.isEmpty else { continue }
            if sf_set_string(handle, field.sfType, value) != 0 {
                let reason = LibSndFile.lastError(handle) ?? "refused"
                throw AudioIOError(.writeFailed, path: path, detail: "cannot store tag \(field.key) in \(format): \(reason)")
            }
        }
    }

    deinit {
        if !handleClosed { sf_close(handle) }
        interleaved.deallocate()
        quantised.deallocate()
        // `output`, if not committed, removes its temporary file in its own deinit.
    }

    /// Appends the valid frames of a planar block.
    public mutating func write(_ block: AudioBlock) throws(AudioIOError) {
        precondition(block.channelCount == channelCount, "block has the wrong channel count")
        try block.storage.withUnsafeBufferPointer { (all) throws(AudioIOError) in
            try write(frames: block.frameCount) { c in
                UnsafeBufferPointer(rebasing: all[c * block.capacity ..< c * block.capacity + block.frameCount])
            }
        }
    }

    /// Appends a whole in-memory signal.
    public mutating func write(_ buffer: AudioBuffer) throws(AudioIOError) {
        precondition(buffer.channelCount == channelCount, "buffer has the wrong channel count")
        var block = AudioBlock(channelCount: channelCount, capacity: 65_536)
        var offset = 0
        while block.load(from: buffer.channels, offset: offset) > 0 {
            try write(block)
            offset += block.frameCount
        }
    }

    /// Appends planar frames: one buffer per channel, all of the same length.
    public mutating func write(channels: [UnsafeBufferPointer<Float>]) throws(AudioIOError) {
        precondition(channels.count == channelCount, "wrong channel count")
        try write(frames: channels.first?.count ?? 0) { channels[$0] }
    }

    private mutating func write(frames: Int, channel: (Int) -> UnsafeBufferPointer<Float>) throws(AudioIOError) {
        let sources = (0..<channelCount).map(channel)
        var done = 0
        while done < frames {
            let n = min(scratchFrames, frames - done)
            for c in 0..<channelCount {
                let src = sources[c]
                var dst = c
                for i in done ..< done + n {
                    interleaved[dst] = src[i]
                    dst += channelCount
                }
            }
            let written: Int
            if quantizer == nil {
                written = Int(sf_writef_float(handle, interleaved.baseAddress, sf_count_t(n)))
            } else {
                quantizer!.quantise(UnsafeBufferPointer(rebasing: interleaved[..<(n * channelCount)]), into: quantised)
                written = Int(sf_writef_int(handle, quantised.baseAddress, sf_count_t(n)))
            }
            guard written == n else {
                let reason = LibSndFile.lastError(handle) ?? "short write (disk full?)"
                throw AudioIOError(.writeFailed, path: path, detail: "writing failed after \(framesWritten) frames: \(reason)")
            }
            framesWritten += n
            done += n
        }
    }

    /// Finishes the file and gives it its final name. After an error here the
    /// destination is untouched and the temporary file is gone.
    public consuming func commit() throws(AudioIOError) {
        try close().commit()
    }

    /// Finishes the file but keeps it under its temporary name, so it can be
    /// read back and verified before `commit()` (or dropped, which removes it).
    public consuming func close() throws(AudioIOError) -> FinishedOutputFile {
        sf_write_sync(handle)
        let closeCode = sf_close(handle)
        handleClosed = true
        guard closeCode == 0 else {
            throw AudioIOError(.writeFailed, path: path, detail: "finishing the file failed (libsndfile error \(closeCode))")
        }
        let file = output.take()!
        if framesWritten == 0 && format.container == .wav { try MetadataPatch.correctRIFFSize(path: file.temporaryPath) }
        if !laterTags.isEmpty { try TagEditor.set(laterTags, path: file.temporaryPath) }
        return FinishedOutputFile(file: file)
    }

    private static func setBroadcastInfo(_ b: BroadcastInfo, handle: OpaquePointer, path: String) throws(AudioIOError) {
        let ok = b.description.withCString { description in
            b.originator.withCString { originator in
                b.originatorReference.withCString { reference in
                    b.originationDate.withCString { date in
                        b.originationTime.withCString { time in
                            b.codingHistory.withCString { history in
                                var raw = tg_bext(
                                    description: description, originator: originator,
                                    originator_reference: reference, origination_date: date,
                                    origination_time: time, time_reference: b.timeReference,
                                    has_loudness: b.loudness == nil ? 0 : 1,
                                    loudness_value: b.loudness.map { BroadcastInfo.Loudness.hundredths($0.integratedLUFS) } ?? 0,
                                    loudness_range: b.loudness.map { BroadcastInfo.Loudness.hundredths($0.rangeLU) } ?? 0,
                                    max_true_peak_level: b.loudness.map { BroadcastInfo.Loudness.hundredths($0.maxTruePeakDBTP) } ?? 0,
                                    max_momentary_loudness: b.loudness.map { BroadcastInfo.Loudness.hundredths($0.maxMomentaryLUFS) } ?? 0,
                                    max_shortterm_loudness: b.loudness.map { BroadcastInfo.Loudness.hundredths($0.maxShortTermLUFS) } ?? 0,
                                    coding_history: history)
                                return tg_set_bext(handle, &raw) != 0
                            }
                        }
                    }
                }
            }
        }
        guard ok else {
            throw AudioIOError(.writeFailed, path: path, detail: "libsndfile refused the bext chunk")
        }
    }
}

/// A complete output file still under its temporary name: readable at
/// `temporaryPath`, placed at `path` by `commit()`, removed if dropped.
public struct FinishedOutputFile: ~Copyable {
    private var file: AtomicOutputFile?
    /// Where the finished bytes are now (a hidden file beside `path`).
    public let temporaryPath: String
    /// Where `commit()` puts them.
    public let path: String

    init(file: consuming AtomicOutputFile) {
        temporaryPath = file.temporaryPath
        path = file.finalPath
        self.file = consume file
    }

    public consuming func commit() throws(AudioIOError) {
        try file.take()!.commit()
    }
}
