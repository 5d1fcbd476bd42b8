/// An MPEG audio frame header (ISO/IEC 11172-3 and 13818-3, with the MPEG 2.5
/// extension): enough to find a stream's frames behind junk and to tell whether
/// its first frame is a Xing, Info or VBRI header that announces its length.
struct MPEGFrameHeader: Equatable {
    /// 1, 2, or 25 for MPEG 2.5.
    let version: Int
    /// 1, 2 or 3.
    let layer: Int
    let sampleRate: Int
    let mono: Bool
    /// The whole frame, header included, in bytes.
    let length: Int

    /// Bit rates in kbit/s by bitrate index 1-14 (ISO/IEC 11172-3 2.4.2.3, 13818-3 2.4.2.3).
    private static let bitrates: [[Int]] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],   // MPEG 1, layer I
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],      // MPEG 1, layer II
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],       // MPEG 1, layer III
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],      // MPEG 2/2.5, layer I
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],           // MPEG 2/2.5, layers II and III
    ]

    init?(_ b: [UInt8], at i: Int) {
        guard i >= 0, i + 4 <= b.count, b[i] == 0xFF, b[i + 1] & 0xE0 == 0xE0 else { return nil }
        let versionBits = Int(b[i + 1] >> 3) & 3, layerBits = Int(b[i + 1] >> 1) & 3
        let bitrateIndex = Int(b[i + 2] >> 4), rateIndex = Int(b[i + 2] >> 2) & 3
        guard versionBits != 1, layerBits != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        version = versionBits == 3 ? 1 : versionBits == 2 ? 2 : 25
        layer = 4 - layerBits
        let table = version == 1 ? layer - 1 : (layer == 1 ? 3 : 4)
        let bitrate = Self.bitrates[table][bitrateIndex - 1] * 1000
        sampleRate = [44_100, 48_000, 32_000][rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4)
        let padding = Int(b[i + 2] >> 1) & 1
        mono = b[i + 3] >> 6 == 3
        switch layer {
        case 1: length = (12 * bitrate / sampleRate + padding) * 4
        case 2: length = 144 * bitrate / sampleRate + padding
        default: length = (version == 1 ? 144 : 72) * bitrate / sampleRate + padding
        }
    }

    /// The offset of the first of three frames in a row with the same version,
    /// layer and rate: a stream, not a chance pattern in other bytes.
    static func firstFrame(in b: [UInt8]) -> Int? {
        var i = 0
        while i + 4 <= b.count {
            if let first = MPEGFrameHeader(b, at: i), let second = MPEGFrameHeader(b, at: i + first.length),
               let third = MPEGFrameHeader(b, at: i + first.length + second.length),
               [second, third].allSatisfy({ $0.version == first.version && $0.layer == first.layer && $0.sampleRate == first.sampleRate }) {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Whether the stream in `b` (from the start of the file) opens with a Xing,
    /// Info or VBRI frame: the frame encoders write to announce the length.
    static func hasLengthHeader(_ b: [UInt8]) -> Bool {
        var start = 0
        if b.starts(with: Array("ID3".utf8)), b.count >= 10 {
            let end = ContainerProbe.id3v2End(b)
            guard end < UInt64(b.count) else { return false }
            start = Int(end)
        }
        guard let at = firstFrameLoosely(in: b, from: start), let frame = MPEGFrameHeader(b, at: at) else { return false }
        // Xing/Info sit after the side information (ISO/IEC 11172-3 2.4.1.7); VBRI 32 bytes in.
        let sideInformation = frame.version == 1 ? (frame.mono ? 17 : 32) : (frame.mono ? 9 : 17)
        func tag(_ name: String, at offset: Int) -> Bool {
            at + offset + 4 <= b.count && b[(at + offset)..<(at + offset + 4)].elementsEqual(name.utf8)
        }
        return tag("Xing", at: 4 + sideInformation) || tag("Info", at: 4 + sideInformation) || tag("VBRI", at: 36)
    }

    /// The first valid header at or after `start` (a length header may stand alone
    /// before the audio frames, so one header is enough here).
    private static func firstFrameLoosely(in b: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 4 <= b.count && i < start + 4096 {
            if MPEGFrameHeader(b, at: i) != nil { return i }
            i += 1
        }
        return nil
    }
}
