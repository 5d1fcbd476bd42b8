import Foundation

/// The same 16-bit PCM audio in containers whose size fields were left as a
/// streaming writer leaves them (the length unknown), or filled in wrong: the
/// cases behind "header lengths that mean unknown" in the reliability section.
///
/// Built byte by byte here, not by an encoder, so each field is exactly the case named.
public enum HeaderVariants {
    public enum Variant: String, CaseIterable, Sendable, CustomStringConvertible {
        /// A correct WAV.
        case wav
        /// `data` size 0, RIFF size right.
        case wavDataSizeZero = "wav-data-0"
        /// RIFF and `data` sizes both 0: a writer that never went back.
        case wavBothSizesZero = "wav-riff-0-data-0"
        /// RIFF size 0, `data` size right.
        case wavRIFFSizeZero = "wav-riff-0"
        /// `data` size 0 and a LIST/INFO chunk after the audio.
        case wavDataSizeZeroThenLIST = "wav-data-0-list"
        /// `data` size 0xFFFFFFFF and a LIST/INFO chunk after the audio.
        case wavDataSizeMaxThenLIST = "wav-data-ffffffff-list"
        /// RF64 whose `ds64` sizes are 0 (the `data` size 0xFFFFFFFF as RF64 wants).
        case rf64SizesZero = "rf64-ds64-0"
        /// A correct AIFF.
        case aiff
        /// AIFF with SSND size 0 and a COMM frame count of 0.
        case aiffSizesZero = "aiff-ssnd-0-comm-0"
        /// AIFF with SSND size 0 and an ANNO chunk after the sound.
        case aiffSoundSizeZeroThenANNO = "aiff-ssnd-0-anno"

        public var description: String { rawValue }
        public var fileExtension: String { rawValue.hasPrefix("aiff") ? "aiff" : "wav" }
    }

    /// The title the trailing LIST chunk carries.
    public static let trailingTitle = "Streamed take"

    /// `variant` holding `samples` (interleaved, `channels` per frame) at `sampleRate`.
    public static func make(_ variant: Variant, samples: [Int16], channels: Int, sampleRate: Int) -> Data {
        switch variant {
        case .wav: wav(samples, channels, sampleRate)
        case .wavDataSizeZero: wav(samples, channels, sampleRate, dataSize: 0)
        case .wavBothSizesZero: wav(samples, channels, sampleRate, riffSize: 0, dataSize: 0)
        case .wavRIFFSizeZero: wav(samples, channels, sampleRate, riffSize: 0)
        case .wavDataSizeZeroThenLIST: wav(samples, channels, sampleRate, dataSize: 0, trailer: listInfo(title: trailingTitle))
        case .wavDataSizeMaxThenLIST: wav(samples, channels, sampleRate, dataSize: 0xFFFF_FFFF, trailer: listInfo(title: trailingTitle))
        case .rf64SizesZero: rf64(samples, channels, sampleRate)
        case .aiff: aiff(samples, channels, sampleRate)
        case .aiffSizesZero: aiff(samples, channels, sampleRate, frames: 0, soundSize: 0)
        case .aiffSoundSizeZeroThenANNO:
            aiff(samples, channels, sampleRate, soundSize: 0, trailer: chunk("ANNO", Array("made by a streaming writer".utf8), bigEndian: true))
        }
    }

    /// An AIFF whose COMM chunk claims `frames` (any value), with a true SSND size.
    public static func aiffClaiming(frames: UInt32, samples: [Int16], channels: Int, sampleRate: Int) -> Data {
        aiff(samples, channels, sampleRate, frames: frames)
    }

    // MARK: Building blocks

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    static func chunk(_ id: String, _ body: [UInt8], bigEndian: Bool = false, size: UInt32? = nil) -> [UInt8] {
        let declared = size ?? UInt32(body.count)
        return Array(id.utf8) + (bigEndian ? be(declared) : le(declared)) + body + (body.count & 1 == 1 ? [0] : [])
    }

    static func listInfo(title: String) -> [UInt8] {
        var text = Array(title.utf8) + [0]
        if text.count & 1 == 1 { text.append(0) }
        return chunk("LIST", Array("INFO".utf8) + chunk("INAM", text))
    }

    static func fmt(_ channels: Int, _ rate: Int) -> [UInt8] {
        let align = UInt16(channels * 2)
        return chunk("fmt ", le(UInt16(1)) + le(UInt16(channels)) + le(UInt32(rate)) + le(UInt32(rate) * UInt32(align))
                         + le(align) + le(UInt16(16)))
    }

    static func wav(_ samples: [Int16], _ channels: Int, _ rate: Int, riffSize: UInt32? = nil, dataSize: UInt32? = nil,
                    trailer: [UInt8] = []) -> Data {
        let pcm = samples.flatMap { le($0) }
        let body = Array("WAVE".utf8) + fmt(channels, rate) + chunk("data", pcm, size: dataSize ?? UInt32(pcm.count)) + trailer
        return Data(Array("RIFF".utf8) + le(riffSize ?? UInt32(body.count)) + body)
    }

    static func rf64(_ samples: [Int16], _ channels: Int, _ rate: Int) -> Data {
        let pcm = samples.flatMap { le($0) }
        let ds64 = chunk("ds64", le(UInt64(0)) + le(UInt64(0)) + le(UInt64(0)) + le(UInt32(0)))
        let body = Array("WAVE".utf8) + ds64 + fmt(channels, rate) + chunk("data", pcm, size: 0xFFFF_FFFF)
        return Data(Array("RF64".utf8) + le(UInt32(0xFFFF_FFFF)) + body)
    }

    /// IEEE 754 80-bit extended, as AIFF stores its sample rate.
    static func extended(_ value: Int) -> [UInt8] {
        var exponent = 16383 + 63
        var mantissa = UInt64(value)
        while mantissa & (1 << 63) == 0 { mantissa <<= 1; exponent -= 1 }
        return be(UInt16(exponent)) + be(mantissa)
    }

    static func aiff(_ samples: [Int16], _ channels: Int, _ rate: Int, frames: UInt32? = nil, soundSize: UInt32? = nil,
                     trailer: [UInt8] = []) -> Data {
        let pcm = samples.flatMap { be($0) }
        let count = frames ?? UInt32(samples.count / channels)
        let comm = chunk("COMM", be(Int16(channels)) + be(count) + be(Int16(16)) + extended(rate), bigEndian: true)
        let sound = chunk("SSND", be(UInt32(0)) + be(UInt32(0)) + pcm, bigEndian: true, size: soundSize ?? UInt32(pcm.count + 8))
        let body = Array("AIFF".utf8) + comm + sound + trailer
        return Data(Array("FORM".utf8) + be(UInt32(body.count)) + body)
    }
}
