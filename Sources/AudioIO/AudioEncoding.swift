import CSndFile

/// The container and sample encoding of a file, in short stable identifiers.
///
/// The identifiers follow ffprobe's vocabulary (`wav`, `flac`, `pcm_s16`, ...)
/// so reports line up with what other tools print; `name` is libsndfile's own
/// human-readable label.
public struct AudioEncoding: Sendable, Hashable, Codable {
    /// Container identifier: `wav`, `rf64`, `w64`, `aiff`, `caf`, `flac`, `ogg`, `mp3`, `au`, ...
    public let container: String
    /// Codec identifier: `pcm_s16`, `pcm_s24`, `pcm_f32`, `flac`, `vorbis`, `opus`, `mp3`, ...
    public let codec: String
    /// Bits per sample of the stored PCM, or nil for lossy codecs.
    public let bitDepth: Int?
    /// True for codecs that discard information (Vorbis, Opus, MPEG).
    public let isLossy: Bool

    /// A stream decoded outside libsndfile (MPEG audio through libmpg123; AAC,
    /// ALAC and others through FFmpeg), named as ffprobe names it: lossy
    /// unless PCM or one of `losslessCodecs`.
    init(container: String, codec: String) {
        self.container = container
        self.codec = codec
        self.bitDepth = nil
        self.isLossy = !Self.losslessCodecs.contains(codec) && !codec.hasPrefix("pcm_")
    }

    /// FFmpeg's names of lossless codecs found in the containers it decodes for TrackGate.
    static let losslessCodecs: Set<String> = ["alac", "flac", "wavpack", "tta", "mlp", "truehd"]

    init(sfFormat format: Int32) {
        let major = Int(format) & Int(SF_FORMAT_TYPEMASK)
        let sub = Int(format) & Int(SF_FORMAT_SUBMASK)
        container = Self.container(major) ?? Self.libsndfileName(major: Int32(major))
        var (codec, depth) = Self.codec(sub)
        // libsndfile reports FLAC's and ALAC's bit depth as the subtype of their container.
        if container == "flac" { codec = "flac" }
        if container == "caf", sub >= Int(SF_FORMAT_ALAC_16), sub <= Int(SF_FORMAT_ALAC_32) {
            codec = "alac"
            depth = [16, 20, 24, 32][sub - Int(SF_FORMAT_ALAC_16)]
        }
        self.codec = codec
        self.bitDepth = depth
        self.isLossy = ["vorbis", "opus", "mp3", "mp2", "mp1", "gsm", "adpcm"].contains(codec)
    }

    private static func container(_ major: Int) -> String? {
        switch major {
        case Int(SF_FORMAT_WAV), Int(SF_FORMAT_WAVEX): "wav"
        case Int(SF_FORMAT_RF64): "rf64"
        case Int(SF_FORMAT_W64): "w64"
        case Int(SF_FORMAT_AIFF): "aiff"
        case Int(SF_FORMAT_CAF): "caf"
        case Int(SF_FORMAT_FLAC): "flac"
        case Int(SF_FORMAT_OGG): "ogg"
        case Int(SF_FORMAT_MPEG): "mp3"
        case Int(SF_FORMAT_AU): "au"
        case Int(SF_FORMAT_RAW): "raw"
        default: nil
        }
    }

    private static func codec(_ sub: Int) -> (String, Int?) {
        switch sub {
        case Int(SF_FORMAT_PCM_S8): ("pcm_s8", 8)
        case Int(SF_FORMAT_PCM_U8): ("pcm_u8", 8)
        case Int(SF_FORMAT_PCM_16): ("pcm_s16", 16)
        case Int(SF_FORMAT_PCM_24): ("pcm_s24", 24)
        case Int(SF_FORMAT_PCM_32): ("pcm_s32", 32)
        case Int(SF_FORMAT_FLOAT): ("pcm_f32", 32)
        case Int(SF_FORMAT_DOUBLE): ("pcm_f64", 64)
        case Int(SF_FORMAT_ULAW): ("ulaw", 8)
        case Int(SF_FORMAT_ALAW): ("alaw", 8)
        case Int(SF_FORMAT_IMA_ADPCM), Int(SF_FORMAT_MS_ADPCM): ("adpcm", nil)
        case Int(SF_FORMAT_GSM610): ("gsm", nil)
        case Int(SF_FORMAT_VORBIS): ("vorbis", nil)
        case Int(SF_FORMAT_OPUS): ("opus", nil)
        case Int(SF_FORMAT_MPEG_LAYER_I): ("mp1", nil)
        case Int(SF_FORMAT_MPEG_LAYER_II): ("mp2", nil)
        case Int(SF_FORMAT_MPEG_LAYER_III): ("mp3", nil)
        default: ("other", nil)
        }
    }

    /// Falls back to libsndfile's own extension for rarer containers (`paf`, `voc`, ...).
    private static func libsndfileName(major: Int32) -> String {
        var info = SF_FORMAT_INFO()
        info.format = major
        guard sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
              let ext = info.extension else { return "other" }
        return String(cString: ext)
    }
}
