/// A platform's loudness target and true-peak ceiling, so a user can name
/// the platform instead of remembering its figures. Explicit `--target-lufs` /
/// `--true-peak-dbtp` override the preset's.
///
/// Sources (the README's preset table cites them; platforms change their
/// figures, and some publish none):
/// - `spotify`: -14 LUFS, -1 dBTP: Spotify for Artists, "Loudness normalization".
/// - `apple`: -16 LUFS, -1 dBTP: Sound Check's level as the trade press reports it
///   (Apple publishes no figure); -1 dBTP as headroom for the AAC encode.
/// - `youtube`: -14 LUFS, -1 dBTP: the playback level as measured (the player
///   reports `loudnessTargetLkfs: -14`); no published ceiling.
/// - `ebu-r128`: -23 LUFS, -1 dBTP: EBU R 128 version 4.0 (2020).
/// - `atsc-a85`: -24 LKFS, -2 dBTP: ATSC A/85:2013.
/// - `podcast`: -16 LUFS, -1 dBTP: Apple Podcasts' audio requirements.
public enum DeliveryPreset: String, Sendable, CaseIterable, Codable {
    case spotify, apple, youtube
    case ebuR128 = "ebu-r128"
    case atscA85 = "atsc-a85"
    case podcast

    /// Integrated loudness target, LUFS (LKFS for ATSC, the same unit).
    public var targetLUFS: Double {
        switch self {
        case .spotify, .youtube: -14
        case .apple, .podcast: -16
        case .ebuR128: -23
        case .atscA85: -24
        }
    }

    /// Highest true peak, dBTP.
    public var ceilingDBTP: Double {
        switch self {
        case .atscA85: -2
        default: -1
        }
    }
}
