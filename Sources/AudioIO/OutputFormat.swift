import CSndFile

/// The file formats TrackGate delivers: PCM in WAV or FLAC, and the lossy
/// codecs MP3 (MPEG-1/2 Layer III through LAME) and Opus in Ogg (through
/// libopus), all written by libsndfile.
public struct OutputFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Container: String, Sendable, CaseIterable, Codable {
        case wav, flac, mp3, opus
        public var fileExtension: String { rawValue }

        /// Whether the codec discards information: what a listener hears is
        /// what a decoder makes of the file, not the samples that went in.
        public var isLossy: Bool { self == .mp3 || self == .opus }

        /// The sample rates the codec takes, Hz; nil when any rate is stored.
        /// MP3: the nine rates of MPEG-1, MPEG-2 and MPEG-2.5 Layer III (ISO/IEC
        /// 11172-3, 13818-3). Opus: the five rates of RFC 6716 s2.
        public var sampleRates: [Int]? {
            switch self {
            case .wav, .flac: nil
            case .mp3: [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]
            case .opus: [8_000, 12_000, 16_000, 24_000, 48_000]
            }
        }

        /// The most channels the encoder takes: MP3 is mono or stereo; Opus
        /// through libsndfile uses channel mapping family 1 (RFC 7845 s5.1.1.2), up to 8.
        public var maximumChannels: Int {
            switch self {
            case .wav: 1024
            case .flac, .opus: 8
            case .mp3: 2
            }
        }

        /// The rate a delivery gets when none is asked for: the source's when the
        /// codec stores it, otherwise 48 kHz (which both lossy codecs store).
        public func deliveryRate(forSource rate: Int) -> Int {
            guard let allowed = sampleRates, !allowed.contains(rate) else { return rate }
            return 48_000
        }
    }

    public enum SampleFormat: String, Sendable, CaseIterable, Codable {
        case pcm16 = "16", pcm24 = "24", float32 = "32f"
        public var bitDepth: Int { switch self { case .pcm16: 16; case .pcm24: 24; case .float32: 32 } }
        public var isFloat: Bool { self == .float32 }
    }

    public let container: Container
    /// The samples stored (WAV, FLAC); for a lossy codec the samples it is fed,
    /// always 32-bit float (no dither, no quantisation before the encoder).
    public let sampleFormat: SampleFormat
    /// The bit rate asked of a lossy encoder, kbit/s for all channels together;
    /// nil for PCM, or for the codec's default (`defaultBitrateKbps`).
    public let bitrateKbps: Int?

    /// A PCM format.
    /// - Throws: `.invalidArgument` for FLAC with float samples, which FLAC cannot
    ///   store, and for a lossy container (use `init(lossy:bitrateKbps:)`).
    public init(_ container: Container, _ sampleFormat: SampleFormat) throws(AudioIOError) {
        if container.isLossy {
            throw AudioIOError(.invalidArgument, path: "", detail: "\(container.rawValue) is lossy: it has a bit rate, not a bit depth")
        }
        if container == .flac && sampleFormat == .float32 {
            throw AudioIOError(.invalidArgument, path: "", detail: "FLAC stores integer samples only: use 16 or 24 bits")
        }
        self.init(unchecked: container, sampleFormat)
    }

    /// A lossy format at a bit rate (kbit/s), or at the codec's default with nil.
    /// Whether the rate suits the sample rate and channels is checked when the
    /// file is opened (`encoderProblem(sampleRate:channelCount:)`).
    /// - Throws: `.invalidArgument` for a PCM container or a bit rate under 1.
    public init(lossy container: Container, bitrateKbps: Int? = nil) throws(AudioIOError) {
        guard container.isLossy else {
            throw AudioIOError(.invalidArgument, path: "", detail: "\(container.rawValue) is not a lossy format")
        }
        if let bitrateKbps, bitrateKbps < 1 {
            throw AudioIOError(.invalidArgument, path: "", detail: "a bit rate of \(bitrateKbps) kbit/s")
        }
        self.init(unchecked: container, .float32, bitrateKbps: bitrateKbps)
    }

    private init(unchecked container: Container, _ sampleFormat: SampleFormat, bitrateKbps: Int? = nil) {
        self.container = container
        self.sampleFormat = sampleFormat
        self.bitrateKbps = bitrateKbps
    }

    public static let wav16 = OutputFormat(unchecked: .wav, .pcm16)
    public static let wav24 = OutputFormat(unchecked: .wav, .pcm24)
    public static let wavFloat = OutputFormat(unchecked: .wav, .float32)
    public static let flac16 = OutputFormat(unchecked: .flac, .pcm16)
    public static let flac24 = OutputFormat(unchecked: .flac, .pcm24)
    /// MP3 and Opus at their default bit rates.
    public static let mp3 = OutputFormat(unchecked: .mp3, .float32)
    public static let opus = OutputFormat(unchecked: .opus, .float32)

    public var isLossy: Bool { container.isLossy }

    /// The bit depth of the stored samples, nil for a lossy codec (it stores none).
    public var bitDepth: SampleFormat? { isLossy ? nil : sampleFormat }

    public var description: String {
        if isLossy { return container == .mp3 ? "MP3" : "Opus" }
        return "\(container.rawValue.uppercased()) \(sampleFormat.isFloat ? "32-bit float" : "\(sampleFormat.bitDepth)-bit")"
    }

    /// The MPEG Layer III bit rates (kbit/s) a frame can announce at a sample rate:
    /// ISO/IEC 11172-3 Table 3-B.2 for MPEG-1 (32-48 kHz), ISO/IEC 13818-3 for
    /// MPEG-2 (16-24 kHz), and MPEG-2.5's subset up to 64 kbit/s (8-12 kHz) as LAME encodes it.
    public static func mp3Bitrates(sampleRate: Int) -> [Int] {
        if sampleRate >= 32_000 { return [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] }
        if sampleRate >= 16_000 { return [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] }
        return [8, 16, 24, 32, 40, 48, 56, 64]
    }

    /// Opus's useful range through libsndfile: 6 to 256 kbit/s per channel (libsndfile's `ogg_opus.c`).
    public static let opusBitratePerChannel = 6...256

    /// The bit rate used when none is given, kbit/s; nil for PCM. MP3: the
    /// highest its MPEG version allows (320 kbit/s at 32-48 kHz), as delivery
    /// copies are made. Opus: 64 kbit/s per channel, 128 for stereo, the rate
    /// the Opus developers' recommended settings give for transparent stereo
    /// music (wiki.xiph.org/Opus_Recommended_Settings).
    public func defaultBitrateKbps(sampleRate: Int, channelCount: Int) -> Int? {
        switch container {
        case .wav, .flac: nil
        case .mp3: Self.mp3Bitrates(sampleRate: sampleRate).last
        case .opus: 64 * channelCount
        }
    }

    /// The bit rate a file at this rate and channel count gets, kbit/s; nil for PCM.
    public func bitrateKbps(sampleRate: Int, channelCount: Int) -> Int? {
        guard isLossy else { return nil }
        return bitrateKbps ?? defaultBitrateKbps(sampleRate: sampleRate, channelCount: channelCount)
    }

    /// Why the encoder cannot make this format at this rate and channel count,
    /// or nil when it can.
    public func encoderProblem(sampleRate: Int, channelCount: Int) -> String? {
        if let rates = container.sampleRates, !rates.contains(sampleRate) {
            let listed = rates.map { $0 % 1000 == 0 ? "\($0 / 1000)" : "\(Double($0) / 1000)" }.joined(separator: ", ")
            return "\(description) is made at \(listed) kHz only, not \(sampleRate) Hz"
        }
        guard channelCount <= container.maximumChannels else {
            return "\(description) holds at most \(container.maximumChannels) channels, not \(channelCount)"
        }
        guard let kbps = bitrateKbps(sampleRate: sampleRate, channelCount: channelCount) else { return nil }
        switch container {
        case .mp3:
            let allowed = Self.mp3Bitrates(sampleRate: sampleRate)
            if !allowed.contains(kbps) {
                return "MP3 at \(sampleRate) Hz has the bit rates \(allowed.map(String.init).joined(separator: ", ")) kbit/s, not \(kbps)"
            }
        case .opus:
            let range = Self.opusBitratePerChannel
            if !(range.lowerBound * channelCount ... range.upperBound * channelCount).contains(kbps) {
                return "Opus with \(channelCount) channel\(channelCount == 1 ? "" : "s") takes \(range.lowerBound * channelCount) "
                    + "to \(range.upperBound * channelCount) kbit/s, not \(kbps)"
            }
        case .wav, .flac: break
        }
        return nil
    }

    var sfFormat: Int32 {
        let major: Int = switch container {
        case .wav: Int(SF_FORMAT_WAV)
        case .flac: Int(SF_FORMAT_FLAC)
        case .mp3: Int(SF_FORMAT_MPEG)
        case .opus: Int(SF_FORMAT_OGG)
        }
        let sub: Int = switch (container, sampleFormat) {
        case (.mp3, _): Int(SF_FORMAT_MPEG_LAYER_III)
        case (.opus, _): Int(SF_FORMAT_OPUS)
        case (_, .pcm16): Int(SF_FORMAT_PCM_16)
        case (_, .pcm24): Int(SF_FORMAT_PCM_24)
        case (_, .float32): Int(SF_FORMAT_FLOAT)
        }
        return Int32(major | sub)
    }

    /// libsndfile's compression level (0...1) that selects `kbps` for the codec:
    /// for MP3 it maps the MPEG version's highest bit rate - level x its span
    /// (320 - level x 288 kbit/s at MPEG-1 rates), truncated; for Opus, per channel,
    /// 6 kbit/s + (1 - level) x 250 kbit/s (libsndfile 1.2 `mpeg_l3_encode.c`,
    /// `ogg_opus.c`). Half a kbit/s above the value survives the truncation.
    func compressionLevel(kbps: Int, sampleRate: Int, channelCount: Int) -> Double {
        let level: Double
        switch container {
        case .mp3:
            let rates = Self.mp3Bitrates(sampleRate: sampleRate)
            let top = Double(rates.last!), span = top - Double(rates.first!)
            level = (top - Double(kbps) - 0.5) / span
        case .opus:
            let perChannel = Double(kbps) * 1000 / Double(channelCount)
            level = 1 - (perChannel + 0.5 - 6_000) / 250_000
        case .wav, .flac:
            level = 0
        }
        return min(1, max(0, level))
    }
}
