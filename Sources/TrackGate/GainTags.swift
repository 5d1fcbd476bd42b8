import AudioIO
import Foundation

/// Which player gain tags a delivery carries: tags that tell a player how
/// much to turn the track down (or up) to play it at a common loudness,
/// without changing the audio.
public enum GainTagStyle: String, Sendable, Codable, CaseIterable {
    /// ReplayGain 2.0 (`REPLAYGAIN_TRACK_GAIN` / `_PEAK`, album too), reference
    /// -18 LUFS: Vorbis comments in FLAC and Ogg Vorbis, ID3v2 `TXXX` frames in MP3.
    case replaygain
    /// `R128_TRACK_GAIN` / `R128_ALBUM_GAIN` of RFC 7845 s5.2.1 (Opus), Q7.8
    /// fixed point, reference -23 LUFS.
    case r128
    case none

    /// The style a delivery gets when none is asked for: ReplayGain where
    /// players read it (FLAC, MP3), R128 for Opus (RFC 7845 tells players to
    /// ignore ReplayGain tags there), none for WAV (it has no standard place for them).
    public static func standard(for container: OutputFormat.Container) -> GainTagStyle {
        switch container {
        case .wav: .none
        case .flac, .mp3: .replaygain
        case .opus: .r128
        }
    }

    /// The delivery format whose gain-tag rules a source follows when its own
    /// file is tagged (`--tags-only`, `--skip-if-within`), from its probed
    /// encoding: Ogg Opus is Opus's, Ogg Vorbis takes ReplayGain as FLAC does.
    /// Nil for a file with no place for gain tags (WAV, AIFF, MP4).
    public static func rules(for encoding: AudioEncoding) -> OutputFormat.Container? {
        switch encoding.container {
        case "flac": .flac
        case "mp3": .mp3
        case "ogg": encoding.codec == "opus" ? .opus : .flac
        default: nil
        }
    }

    /// Why this style cannot go in the container, or nil when it can.
    public func problem(in container: OutputFormat.Container) -> String? {
        switch (self, container) {
        case (.none, _), (.replaygain, .flac), (.replaygain, .mp3), (.r128, .opus): nil
        case (_, .wav): "WAV has no standard place for gain tags: use --format flac, mp3 or opus, or --gain-tags none"
        case (.replaygain, .opus): "Opus players ignore ReplayGain tags (RFC 7845 s5.2.1): use --gain-tags r128"
        case (.r128, _): "R128 gain tags are Opus's (RFC 7845): use --gain-tags replaygain for \(container.rawValue)"
        }
    }
}

/// The gain tag values for a measured track (and its album, in album mode).
public enum GainTags {
    /// ReplayGain 2.0's reference level, LUFS (hydrogenaud.io, "ReplayGain 2.0 specification").
    public static let replayGainReferenceLUFS = -18.0
    /// RFC 7845 s5.2.1's reference level for R128 gains, LUFS (EBU R 128's target).
    public static let r128ReferenceLUFS = -23.0

    /// A group's pooled measurement, for album tags.
    public struct Album: Sendable, Equatable {
        public var integratedLUFS: Double
        /// The loudest true peak of the group's tracks, dBTP.
        public var truePeakDBTP: Double?
        public init(integratedLUFS: Double, truePeakDBTP: Double?) {
            self.integratedLUFS = integratedLUFS
            self.truePeakDBTP = truePeakDBTP
        }
    }

    /// The tags as the report's `output.gain_tags` lists them, by name; nil when there are none.
    public static func byName(_ fields: [TagField]) -> [String: String]? {
        fields.isEmpty ? nil : Dictionary(fields.map { ($0.name, $0.value) }) { first, _ in first }
    }

    /// The tags, named as Vorbis comment fields. Gains are "-4.52 dB" (two
    /// decimals, as ReplayGain 2.0 writes them) or a Q7.8 integer for R128;
    /// peaks are linear amplitudes with six decimals, from the true peak
    /// (BS.1770-4 Annex 2), which is what a player must keep under full
    /// scale. A silent track has no loudness, so its gain fields are set
    /// empty (removed) rather than given a made-up value.
    public static func fields(_ style: GainTagStyle, track: LoudnessReport, album: Album? = nil) -> [TagField] {
        switch style {
        case .none:
            return []
        case .replaygain:
            func gain(_ lufs: Double?) -> String { lufs.map { String(format: "%.2f dB", replayGainReferenceLUFS - $0) } ?? "" }
            func peak(_ dbtp: Double?) -> String { dbtp.map { String(format: "%.6f", pow(10, $0 / 20)) } ?? "" }
            var fields = [TagField("REPLAYGAIN_TRACK_GAIN", gain(track.integratedLUFS)),
                          TagField("REPLAYGAIN_TRACK_PEAK", peak(track.truePeakDBTP))]
            if let album {
                fields += [TagField("REPLAYGAIN_ALBUM_GAIN", gain(album.integratedLUFS)),
                           TagField("REPLAYGAIN_ALBUM_PEAK", peak(album.truePeakDBTP))]
            }
            return fields
        case .r128:
            func q78(_ lufs: Double?) -> String {
                guard let lufs else { return "" }
                return String(Int(max(-32_768, min(32_767, ((r128ReferenceLUFS - lufs) * 256).rounded()))))
            }
            var fields = [TagField("R128_TRACK_GAIN", q78(track.integratedLUFS))]
            if let album { fields.append(TagField("R128_ALBUM_GAIN", q78(album.integratedLUFS))) }
            return fields
        }
    }
}
