import CSampleRate
import CSoxr

/// The sample-rate converter libraries TrackGate can drive.
public enum ResamplerEngine: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// libsamplerate (Secret Rabbit Code), band-limited sinc interpolation.
    case libsamplerate
    /// libsoxr, the SoX resampler: FFT-based polyphase filters, several times faster.
    case soxr

    public var description: String { rawValue }
}

/// Quality steps, mapped to each engine's own presets.
///
/// | quality | libsamplerate | soxr |
/// | --- | --- | --- |
/// | `best` | `SRC_SINC_BEST_QUALITY` | `SOXR_VHQ` (28-bit) |
/// | `medium` | `SRC_SINC_MEDIUM_QUALITY` | `SOXR_HQ` (20-bit) |
/// | `fast` | `SRC_SINC_FASTEST` | `SOXR_MQ` (16-bit) |
///
/// The measured passband, alias rejection and signal-to-noise ratio of every
/// pair are in the README; the tests hold each to its figure.
public enum ResampleQuality: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case best, medium, fast

    public var description: String { rawValue }
}

/// A streaming sample-rate converter over planar float audio: the single owner
/// of a libsamplerate or soxr handle.
///
/// Feed blocks with `process`, then call `finish` once. Converted frames are
/// handed to `emit` as planar buffers that are valid only during the call.
/// Both engines compensate their filter delay, so output frame `k` sits at time
/// `k / outputRate` of the input; `finish` pads or trims the last frames so the
/// output holds exactly `round(inputFrames * outputRate / inputRate)` frames.
/// Memory is a few fixed blocks, whatever the length of the input.
public struct Resampler: ~Copyable {
    public let engine: ResamplerEngine
    public let quality: ResampleQuality
    public let channelCount: Int
    public let inputRate: Int
    public let outputRate: Int
    /// Output frames per input frame.
    public var ratio: Double { Double(outputRate) / Double(inputRate) }
    public private(set) var inputFrames = 0
    public private(set) var outputFrames = 0

    private let handle: OpaquePointer
    /// Input frames per engine call.
    private let chunk = 4096
    private let outputCapacity: Int
    /// Planar output, `channelCount` runs of `outputCapacity`.
    private let planar: UnsafeMutableBufferPointer<Float>
    /// Interleaved staging for libsamplerate, which has no planar interface.
    private let interleavedIn: UnsafeMutableBufferPointer<Float>
    private let interleavedOut: UnsafeMutableBufferPointer<Float>
    /// soxr's per-channel pointers: the planar outputs (fixed), and the inputs of
    /// the current call; kept here so no engine call allocates.
    private let outputPointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<Float>?>
    private let inputPointers: UnsafeMutableBufferPointer<UnsafePointer<Float>?>
    /// The planar output runs as buffers for `emit`, one array reused for every call.
    private var emitted: [UnsafeBufferPointer<Float>] = []
    private var finished = false

    /// - Throws: `.invalidArgument` for rates the engines cannot convert between
    ///   (ratios beyond 1:256), or the engine's own reason if it refuses.
    public init(engine: ResamplerEngine, quality: ResampleQuality, channelCount: Int,
                inputRate: Int, outputRate: Int) throws(AudioIOError) {
        guard channelCount > 0, inputRate > 0, outputRate > 0 else {
            throw AudioIOError(.invalidArgument, path: "", detail: "cannot resample \(channelCount) channels from \(inputRate) Hz to \(outputRate) Hz")
        }
        let ratio = Double(outputRate) / Double(inputRate)
        guard ratio >= 1.0 / 256, ratio <= 256 else {
            throw AudioIOError(.invalidArgument, path: "",
                               detail: "\(inputRate) Hz to \(outputRate) Hz is beyond the 1:256 the resamplers support")
        }
        switch engine {
        case .libsamplerate:
            let converter: Int32 = switch quality {
            case .best: Int32(SRC_SINC_BEST_QUALITY)
            case .medium: Int32(SRC_SINC_MEDIUM_QUALITY)
            case .fast: Int32(SRC_SINC_FASTEST)
            }
            var error: Int32 = 0
            guard let state = src_new(converter, Int32(channelCount), &error) else {
                throw AudioIOError(.invalidArgument, path: "", detail: "libsamplerate: \(String(cString: src_strerror(error)))")
            }
            handle = state
        case .soxr:
            let recipe: UInt = switch quality {
            case .best: UInt(SOXR_VHQ)
            case .medium: UInt(SOXR_HQ)
            case .fast: UInt(SOXR_MQ)
            }
            var io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S)
            var q = soxr_quality_spec(recipe, 0)
            // One thread per converter: batch runs already use every core.
            var runtime = soxr_runtime_spec(1)
            var error: soxr_error_t? = nil
            guard let s = soxr_create(Double(inputRate), Double(outputRate), UInt32(channelCount),
                                      &error, &io, &q, &runtime), error == nil else {
                throw AudioIOError(.invalidArgument, path: "", detail: "soxr: \(error.map { String(cString: $0) } ?? "cannot create a resampler")")
            }
            handle = s
        }
        self.engine = engine
        self.quality = quality
        self.channelCount = channelCount
        self.inputRate = inputRate
        self.outputRate = outputRate
        outputCapacity = Int((Double(chunk) * ratio).rounded(.up)) + 256
        planar = .allocate(capacity: outputCapacity * channelCount)
        let staged = engine == .libsamplerate
        interleavedIn = .allocate(capacity: staged ? chunk * channelCount : 0)
        interleavedOut = .allocate(capacity: staged ? outputCapacity * channelCount : 0)
        outputPointers = .allocate(capacity: channelCount)
        inputPointers = .allocate(capacity: channelCount)
        for c in 0..<channelCount { outputPointers[c] = planar.baseAddress! + c * outputCapacity }
    }

    deinit {
        switch engine {
        case .libsamplerate: src_delete(handle)
        case .soxr: soxr_delete(handle)
        }
        planar.deallocate()
        interleavedIn.deallocate()
        interleavedOut.deallocate()
        outputPointers.deallocate()
        inputPointers.deallocate()
    }

    /// Converts one block (one buffer per channel, equal lengths) and passes on
    /// what the engine has ready; the engine keeps back its filter's look-ahead.
    public mutating func process(_ channels: [UnsafeBufferPointer<Float>],
                                 emit: ([UnsafeBufferPointer<Float>]) throws(AudioIOError) -> Void) throws(AudioIOError) {
        precondition(!finished, "process after finish")
        precondition(channels.count == channelCount, "wrong channel count")
        let frames = channels.first?.count ?? 0
        var offset = 0
        while offset < frames {
            let n = min(chunk, frames - offset)
            var used = 0
            while used < n {
                let (consumed, produced) = try convert(channels, from: offset + used, count: n - used, endOfInput: false)
                used += consumed
                inputFrames += consumed
                try hand(produced, emit: emit)
                if consumed == 0 && produced == 0 { break }  // engine wants no more now; cannot happen with room to spare
            }
            offset += n
        }
    }

    /// Drains the engine and completes the output to its exact length.
    public mutating func finish(emit: ([UnsafeBufferPointer<Float>]) throws(AudioIOError) -> Void) throws(AudioIOError) {
        precondition(!finished, "finish called twice")
        finished = true
        let target = Int((Double(inputFrames) * ratio).rounded())
        while outputFrames < target {
            let (_, produced) = try convert([], from: 0, count: 0, endOfInput: true)
            if produced == 0 { break }
            try hand(min(produced, target - outputFrames), emit: emit)
        }
        // An engine that stops short (libsamplerate may, by a frame) is completed with silence.
        while outputFrames < target {
            let n = min(outputCapacity, target - outputFrames)
            for c in 0..<channelCount {
                UnsafeMutableBufferPointer(rebasing: planar[c * outputCapacity ..< c * outputCapacity + n]).update(repeating: 0)
            }
            try hand(n, emit: emit)
        }
    }

    private mutating func hand(_ produced: Int, emit: ([UnsafeBufferPointer<Float>]) throws(AudioIOError) -> Void) throws(AudioIOError) {
        guard produced > 0 else { return }
        outputFrames += produced
        // Updated in place: the array is unique again once `emit` returns, so no call allocates.
        if emitted.count != channelCount { emitted = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: channelCount) }
        for c in 0..<channelCount {
            emitted[c] = UnsafeBufferPointer(rebasing: planar[c * outputCapacity ..< c * outputCapacity + produced])
        }
        try emit(emitted)
    }

    /// One engine call into `planar` on frames `start ..< start + count` of
    /// `input` (at most `chunk` of them); returns input frames consumed and output frames made.
    private func convert(_ input: [UnsafeBufferPointer<Float>], from start: Int, count: Int,
                         endOfInput: Bool) throws(AudioIOError) -> (Int, Int) {
        let n = min(chunk, count)
        switch engine {
        case .libsamplerate:
            for c in 0..<channelCount where n > 0 {
                var dst = c
                let source = input[c]
                for i in 0..<n { interleavedIn[dst] = source[start + i]; dst += channelCount }
            }
            var data = SRC_DATA()
            data.data_in = UnsafePointer(interleavedIn.baseAddress)
            data.data_out = interleavedOut.baseAddress
            data.input_frames = n
            data.output_frames = outputCapacity
            data.end_of_input = endOfInput ? 1 : 0
            data.src_ratio = ratio
            let error = src_process(handle, &data)
            guard error == 0 else {
                throw AudioIOError(.conversionFailed, path: "", detail: "libsamplerate: \(String(cString: src_strerror(error)))")
            }
            let produced = data.output_frames_gen
            for c in 0..<channelCount {
                var src = c
                let base = c * outputCapacity
                for i in 0..<produced { planar[base + i] = interleavedOut[src]; src += channelCount }
            }
            return (data.input_frames_used, produced)
        case .soxr:
            var used = 0, produced = 0
            let error: soxr_error_t?
            if endOfInput {
                error = tg_soxr_process_split(handle, nil, 0, nil, outputPointers.baseAddress, outputCapacity, &produced)
            } else {
                for c in 0..<channelCount { inputPointers[c] = input[c].baseAddress.map { $0 + start } }
                error = tg_soxr_process_split(handle, UnsafePointer(inputPointers.baseAddress), n, &used,
                                              outputPointers.baseAddress, outputCapacity, &produced)
            }
            if let error { throw AudioIOError(.conversionFailed, path: "", detail: "soxr: \(String(cString: error))") }
            return (used, produced)
        }
    }
}
