/// BS.1770-4 channel weights G_i (Annex 1, Table 3): 1.0 for front channels,
/// 1.41 (+1.5 dB) for surrounds between 60 and 120 degrees of azimuth, and the
/// LFE channel left out.
public enum ChannelWeighting {
    /// Weights for a file: from its channel map when it has one, otherwise from
    /// the usual WAV/FLAC order for its channel count (L R C LFE Ls Rs ...).
    public static func weights(layout: [ChannelPosition]?, channelCount: Int) -> [Double] {
        if let layout, layout.count == channelCount { return layout.map(weight) }
        switch channelCount {
        case 4: return [1, 1, 1.41, 1.41]                          // L R Ls Rs (quad)
        case 5: return [1, 1, 1, 1.41, 1.41]                       // L R C Ls Rs
        case 6: return [1, 1, 1, 0, 1.41, 1.41]                    // L R C LFE Ls Rs
        case 8: return [1, 1, 1, 0, 1.41, 1.41, 1.41, 1.41]        // 7.1
        default: return Array(repeating: 1, count: channelCount)
        }
    }

    public static func weight(_ position: ChannelPosition) -> Double {
        switch position {
        case .lfe: 0
        case .rearLeft, .rearRight, .sideLeft, .sideRight: 1.41
        default: 1
        }
    }
}
