/// A platform's published loudness target and true-peak ceiling, so a user
/// can name the platform instead of remembering its figures. Explicit
/// `--target-lufs` / `--true-peak-dbtp` override the preset's.
///
/// Sources (cited again in the README's table):
/// - `spotify`: -14 LUFS, -1 dBTP: Spotify for Artists, "Loudness normalization".
/// - `apple`: -16 LUFS, -1 dBTP: Apple, "Apple Digital Masters" (Sound Check's level).
/// - `youtube`: -14 LUFS, -1 dBTP: YouTube's playback normalisation level as measured
///   and published by its users' loudness meters; YouTube publishes no ceiling, -1 dBTP as for the others.
/// - `ebu-r128`: -23 LUFS, -1 dBTP: EBU R 128 (2020) s2 and s4.
/// - `atsc-a85`: -24 LKFS, -2 dBTP: ATSC A/85:2013 s5.1 and Annex .
/// - `podcast`: -16 LUFS, -1 dBTP: Apple Podcasts' audio requirements, and AES TD1004.1.15-10.
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
