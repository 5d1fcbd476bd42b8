/// An ID3v2.3 or v2.4 tag (id3.org, "ID3 tag version 2.3.0" and "2.4.0 main
/// structure"), the tag MP3 players read: a 10-byte header with a synchsafe
/// size, then frames of a 4-letter id, a size (synchsafe in v2.4, plain in
/// v2.3), two flag bytes and a body.
///
/// Text is written as UTF-8 in v2.4 (encoding 3) and UTF-16 with a byte-order
/// mark in v2.3 (encoding 1), the two ways each version stores any text.
struct ID3v2Tag {
    struct Frame {
        var id: String
        var flags: [UInt8]
        var body: [UInt8]
    }

    var majorVersion: UInt8
    var frames: [Frame]

    init(majorVersion: UInt8 = 4, frames: [Frame] = []) {
        self.majorVersion = majorVersion
        self.frames = frames
    }

    /// The size of the tag at the start of `head` (header, frames, padding, footer), or nil when none starts there.
    static func size(_ head: [UInt8]) -> Int? {
        guard head.count >= 10, head[0..<3].elementsEqual("ID3".utf8) else { return nil }
        let footer = head[5] & 0x10 != 0 ? 10 : 0
        return 10 + synchsafe(head[6..<10]) + footer
    }

    /// Reads a whole tag (`bytes` from its first byte to its end).
    /// - Throws: a sentence saying what cannot be kept intact when rewritten:
    ///   v2.2 (three-letter ids), unsynchronisation, an extended header, or
    ///   compressed or encrypted frames.
    static func parse(_ bytes: [UInt8]) throws(TagEditor.Refusal) -> ID3v2Tag {
        let version = bytes[3], flags = bytes[5]
        guard version == 3 || version == 4 else { throw .init("it has an ID3v2.\(version) tag, which TrackGate cannot update") }
        guard flags & 0xC0 == 0 else { throw .init("its ID3v2 tag is unsynchronised or has an extended header") }
        let end = min(bytes.count, 10 + synchsafe(bytes[6..<10]))
        var frames: [Frame] = []
        var p = 10
        while p + 10 <= end, bytes[p] != 0 {
            let id = String(decoding: bytes[p ..< p + 4], as: UTF8.self)
            let size = version == 4 ? synchsafe(bytes[p + 4 ..< p + 8])
                : bytes[p + 4 ..< p + 8].reduce(0) { $0 << 8 | Int($1) }
            guard p + 10 + size <= end else { throw .init("its ID3v2 frame \(id) runs past the tag's end") }
            let frameFlags = Array(bytes[p + 8 ..< p + 10])
            // v2.3: compression 0x80, encryption 0x40 in the second byte; v2.4: compression 0x08, encryption 0x04, unsync 0x02.
            if (version == 3 && frameFlags[1] & 0xC0 != 0) || (version == 4 && frameFlags[1] & 0x0E != 0) {
                throw .init("its ID3v2 frame \(id) is compressed, encrypted or unsynchronised")
            }
            frames.append(Frame(id: id, flags: frameFlags, body: Array(bytes[p + 10 ..< p + 10 + size])))
            p += 10 + size
        }
        return ID3v2Tag(majorVersion: version, frames: frames)
    }

    /// The frame a Vorbis comment name maps to (as ffmpeg, mutagen and foobar2000
    /// map them); nil for a name without its own frame, which goes in a `TXXX`
    /// frame described by the name.
    static func frameID(for name: String, version: UInt8) -> String? {
        switch name.uppercased() {
        case "TITLE": "TIT2"
        case "ARTIST": "TPE1"
        case "ALBUM": "TALB"
        case "ALBUMARTIST": "TPE2"
        case "GENRE": "TCON"
        case "DATE": version == 4 ? "TDRC" : "TYER"
        case "COMMENT", "DESCRIPTION": "COMM"
        case "ENCODER", "SOFTWARE": "TSSE"
        case "COPYRIGHT": "TCOP"
        case "TRACKNUMBER": "TRCK"
        default: nil
        }
    }

    /// Sets each field: frames of the same id (for `TXXX`, of the same
    /// description, case-insensitive; for `COMM`, with no description) go, and
    /// the field's frame is added. An empty value only removes.
    mutating func set(_ fields: [TagField]) {
        for field in fields {
            let id = Self.frameID(for: field.name, version: majorVersion)
            frames.removeAll { frame in
                switch id {
                case nil: frame.id == "TXXX" && Self.description(of: frame)?.uppercased() == field.name.uppercased()
                case "COMM": frame.id == "COMM" && Self.description(of: frame)?.isEmpty != false
                case let id?: frame.id == id
                }
            }
            guard !field.value.isEmpty else { continue }
            var value = field.value
            if id == "TYER" { value = String(value.prefix(4)) }
            let body: [UInt8] = switch id {
            case nil: [encoding] + text(field.name) + terminator + text(value)
            case "COMM": [encoding] + Array("eng".utf8) + terminator + text(value)
            default: [encoding] + text(value)
            }
            frames.append(Frame(id: id ?? "TXXX", flags: [0, 0], body: body))
        }
    }

    /// The value of a `TXXX` frame described by `name`, or of the frame `name` maps to.
    func value(_ name: String) -> String? {
        let id = Self.frameID(for: name, version: majorVersion)
        for frame in frames {
            if id == nil, frame.id == "TXXX", Self.description(of: frame)?.uppercased() == name.uppercased() {
                return Self.strings(frame.body).dropFirst().first
            }
            if let id, frame.id == id {
                let parts = Self.strings(frame.body)
                return id == "COMM" ? parts.dropFirst().first : parts.first
            }
        }
        return nil
    }

    /// The tag as stored, without padding.
    var bytes: [UInt8] {
        var body: [UInt8] = []
        for frame in frames {
            let size = frame.body.count
            body += Array(frame.id.utf8.prefix(4))
            body += majorVersion == 4 ? Self.synchsafeBytes(size)
                : [UInt8(size >> 24 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            body += frame.flags + frame.body
        }
        return Array("ID3".utf8) + [majorVersion, 0, 0] + Self.synchsafeBytes(body.count) + body
    }

    // MARK: text

    private var encoding: UInt8 { majorVersion == 4 ? 3 : 1 }
    private var terminator: [UInt8] { majorVersion == 4 ? [0] : [0, 0] }

    private func text(_ s: String) -> [UInt8] {
        if majorVersion == 4 { return Array(s.utf8) }
        return [0xFF, 0xFE] + s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    /// The first string of a TXXX or COMM body (after COMM's language): its description.
    private static func description(of frame: Frame) -> String? {
        var body = frame.body
        if frame.id == "COMM" {
            guard body.count >= 4 else { return nil }
            body = [body[0]] + body[4...]
        }
        return Self.strings(body).first
    }

    /// The NUL-separated strings of a text-bearing body, decoded by its encoding byte
    /// (0 ISO-8859-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8).
    private static func strings(_ body: [UInt8]) -> [String] {
        guard let encoding = body.first else { return [] }
        let payload = Array(body.dropFirst())
        let wide = encoding == 1 || encoding == 2
        var parts: [[UInt8]] = [[]]
        var i = 0
        while i < payload.count {
            if wide {
                guard i + 1 < payload.count else { break }
                if payload[i] == 0 && payload[i + 1] == 0 { parts.append([]) } else { parts[parts.count - 1] += payload[i...i + 1] }
                i += 2
            } else {
                if payload[i] == 0 { parts.append([]) } else { parts[parts.count - 1].append(payload[i]) }
                i += 1
            }
        }
        return parts.map { part in
            switch encoding {
            case 0: return String(String.UnicodeScalarView(part.map { Unicode.Scalar($0) }))
            case 3: return String(decoding: part, as: UTF8.self)
            default:
                var units = stride(from: 0, to: part.count - 1, by: 2).map { UInt16(part[$0]) << 8 | UInt16(part[$0 + 1]) }
                var littleEndian = encoding == 1
                if let first = units.first, first == 0xFFFE || first == 0xFEFF {
                    littleEndian = first == 0xFFFE
                    units.removeFirst()
                }
                if littleEndian { units = units.map { $0.byteSwapped } }
                return String(decoding: units, as: UTF16.self)
            }
        }
    }

    // MARK: sizes

    private static func synchsafe(_ b: ArraySlice<UInt8>) -> Int {
        b.reduce(0) { $0 << 7 | Int($1 & 0x7F) }
    }

    private static func synchsafeBytes(_ v: Int) -> [UInt8] {
        [UInt8(v >> 21 & 0x7F), UInt8(v >> 14 & 0x7F), UInt8(v >> 7 & 0x7F), UInt8(v & 0x7F)]
    }
}
