/// A Vorbis comment list (xiph.org, "Ogg Vorbis I format specification:
/// comment field and header specification"): a vendor string and `NAME=value`
/// entries, each length-prefixed little-endian, names case-insensitive ASCII.
/// FLAC (its VORBIS_COMMENT block), Ogg Vorbis (after `\u{3}vorbis`, with a
/// framing bit) and Ogg Opus (after `OpusTags`, RFC 7845 s5.2) carry it.
struct VorbisComment {
    var vendor: String
    var entries: [(name: String, value: String)]

    /// Reads the list from `bytes` (a FLAC block's body, or a comment packet
    /// after its `start` bytes of magic). Nil when a length points past the
    /// end: damaged, and better left alone than rewritten.
    init?(_ bytes: [UInt8], from start: Int = 0) {
        let end = bytes.count
        var p = start
        func le32() -> Int? {
            guard p + 4 <= end else { return nil }
            defer { p += 4 }
            return Int(bytes[p]) | Int(bytes[p + 1]) << 8 | Int(bytes[p + 2]) << 16 | Int(bytes[p + 3]) << 24
        }
        func text(_ length: Int) -> String? {
            guard length >= 0, p + length <= end else { return nil }
            defer { p += length }
            return String(decoding: bytes[p ..< p + length], as: UTF8.self)
        }
        guard let vendorLength = le32(), let vendor = text(vendorLength), let count = le32() else { return nil }
        var entries: [(String, String)] = []
        for _ in 0..<count {
            guard let length = le32(), let entry = text(length) else { return nil }
            // An entry without '=' breaks the specification; keep it as a name without a value.
            if let eq = entry.firstIndex(of: "=") {
                entries.append((String(entry[..<eq]), String(entry[entry.index(after: eq)...])))
            } else {
                entries.append((entry, ""))
            }
        }
        self.vendor = vendor
        self.entries = entries
    }

    init(vendor: String, entries: [(name: String, value: String)] = []) {
        self.vendor = vendor
        self.entries = entries
    }

    /// Sets each field: every entry of the same name (case-insensitive) goes,
    /// and the field is added after the others. An empty value only removes.
    mutating func set(_ fields: [TagField]) {
        let names = Set(fields.map { $0.name.uppercased() })
        entries.removeAll { names.contains($0.name.uppercased()) }
        for field in fields where !field.value.isEmpty { entries.append((field.name, field.value)) }
    }

    /// The value of the first entry named `name` (case-insensitive).
    func value(_ name: String) -> String? {
        entries.first { $0.name.uppercased() == name.uppercased() }?.value
    }

    /// The list as stored: vendor, count, entries (no framing bit).
    var bytes: [UInt8] {
        var out: [UInt8] = []
        func le32(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        let vendorBytes = Array(vendor.utf8)
        le32(vendorBytes.count)
        out += vendorBytes
        le32(entries.count)
        for entry in entries {
            let text = Array("\(entry.name)=\(entry.value)".utf8)
            le32(text.count)
            out += text
        }
        return out
    }
}

/// One tag to set in a delivery file, named as a Vorbis comment field
/// (`TITLE`, `REPLAYGAIN_TRACK_GAIN`, ...); `TagEditor` maps the names to
/// ID3v2 frames for MP3. An empty value removes the field.
public struct TagField: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value)" }
}
