import Foundation

/// Damaged variants of a good file's bytes: the ways downloads of generated
/// tracks actually go wrong.
public enum CorruptFiles {
    public static let htmlErrorPage = Data("""
    <!DOCTYPE html>
    <html><head><title>403 Forbidden</title></head>
    <body><h1>403 Forbidden</h1><p>Request has expired. Signature: 4c35433b</p></body></html>

    """.utf8)

    /// Uniform random bytes, reproducible.
    public static func randomBytes(count: Int, seed: UInt64 = 7) -> Data {
        var rng = SeededRandom(seed: seed)
        return Data((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    /// The first `bytes` of a file: a header cut off mid-way.
    public static func truncated(_ data: Data, to bytes: Int) -> Data { data.prefix(bytes) }

    /// Byte offset of a RIFF chunk's 8-byte header (id + size), or nil.
    public static func riffChunkOffset(_ data: Data, id: String) -> Int? {
        let bytes = [UInt8](data)
        var offset = 12
        while offset + 8 <= bytes.count {
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8
                | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            if String(decoding: bytes[offset..<offset + 4], as: UTF8.self) == id { return offset }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    /// A WAV whose `data` size field claims `declaredBytes`, whatever the file holds,
    /// while the outer RIFF size stays true to the file: a header that lies.
    public static func lyingDataSize(_ wav: Data, declaredBytes: UInt32) -> Data {
        guard let offset = riffChunkOffset(wav, id: "data") else { return wav }
        var copy = wav
        withUnsafeBytes(of: declaredBytes.littleEndian) { copy.replaceSubrange(offset + 4 ..< offset + 8, with: $0) }
        return copy
    }
}

extension CorruptFiles {
    /// A minimal PCM WAV with the given `fmt ` fields and `dataBytes` of silence;
    /// with odd fields it makes headers that libsndfile itself rejects.
    public static func wav(formatTag: UInt16 = 1, channels: UInt16, sampleRate: UInt32, bits: UInt16,
                           dataBytes: Int = 400) -> Data {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        let blockAlign = UInt16(Int(channels) * Int(bits) / 8)
        let fmt = le(formatTag) + le(channels) + le(sampleRate) + le(sampleRate * UInt32(blockAlign))
            + le(blockAlign) + le(bits)
        let body = Array("WAVE".utf8) + Array("fmt ".utf8) + le(UInt32(fmt.count)) + fmt
            + Array("data".utf8) + le(UInt32(dataBytes)) + [UInt8](repeating: 0, count: dataBytes)
        return Data(Array("RIFF".utf8) + le(UInt32(body.count)) + body)
    }
}
