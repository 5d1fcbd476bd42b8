import CSndFile

/// The file formats TrackGate delivers.
public struct OutputFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Container: String, Sendable, CaseIterable, Codable {
        case wav, flac
        public var fileExtension: String { rawValue }
    }

    public enum SampleFormat: String, Sendable, CaseIterable, Codable {
        case pcm16 = "16", pcm24 = "24", float32 = "32f"
        public var bitDepth: Int { switch self { case .pcm16: 16; case .pcm24: 24; case .float32: 32 } }
        public var isFloat: Bool { self == .float32 }
    }

    public let container: Container
    public let sampleFormat: SampleFormat

    /// - Throws: `.invalidArgument` for FLAC with float samples, which FLAC cannot store.
    public init(_ container: Container, _ sampleFormat: SampleFormat) throws(AudioIOError) {
        if container == .flac && sampleFormat == .float32 {
            throw AudioIOError(.invalidArgument, path: "", detail: "FLAC stores integer samples only: use 16 or 24 bits")
        }
        self.container = container
        self.sampleFormat = sampleFormat
    }

    private init(unchecked container: Container, _ sampleFormat: SampleFormat) {
        self.container = container
        self.sampleFormat = sampleFormat
    }

    public static let wav16 = OutputFormat(unchecked: .wav, .pcm16)
    public static let wav24 = OutputFormat(unchecked: .wav, .pcm24)
    public static let wavFloat = OutputFormat(unchecked: .wav, .float32)
    public static let flac16 = OutputFormat(unchecked: .flac, .pcm16)
    public static let flac24 = OutputFormat(unchecked: .flac, .pcm24)

    public var description: String {
        "\(container.rawValue.uppercased()) \(sampleFormat.isFloat ? "32-bit float" : "\(sampleFormat.bitDepth)-bit")"
    }

    var sfFormat: Int32 {
        let major = container == .wav ? Int(SF_FORMAT_WAV) : Int(SF_FORMAT_FLAC)
        let sub: Int = switch sampleFormat {
        case .pcm16: Int(SF_FORMAT_PCM_16)
        case .pcm24: Int(SF_FORMAT_PCM_24)
        case .float32: Int(SF_FORMAT_FLOAT)
        }
        return Int32(major | sub)
    }
}
