/// Reads just enough of a file's bytes to decide what libsndfile cannot:
///
/// - what the file is, by its bytes and never its name: text (a saved HTML, XML
///   or JSON error body) is named and never handed to a decoder, an ID3v2 tag
///   is looked past to the format it precedes;
/// - whether a RIFF/RF64/AIFF header announces more audio than the file holds
///   (libsndfile silently shortens such files);
/// - where the audio of a header whose sizes mean "unknown" really ends: a
///   streaming writer that cannot seek back leaves `data` sizes of 0 or
///   0xFFFFFFFF, and libsndfile would read no audio, or read chunks that follow
///   the audio as samples. The probe finds the end and returns `patches`: the
///   size fields as they should have been written, for the reader to serve in
///   place of the file's own (`tg_source`).
///
/// Every size read here is untrusted: sums are done in `UInt64` from 32-bit
/// fields (no overflow), and nothing is allocated from a size the file announces.
struct ContainerProbe {
    /// The family of the first bytes.
    enum Magic: Equatable {
        case riff, rf64, aiff, flac, ogg, mp3, html, json, xml, text, unknown
        /// ISO base media (MP4, M4A, 3GP, MOV): decoded through FFmpeg.
        case mp4
        /// Raw AAC in ADTS frames: decoded through FFmpeg.
        case adts
        /// Matroska or WebM: decoded through FFmpeg.
        case matroska
    }

    /// The audio payload a header announces against the bytes actually present.
    struct DataExtent: Equatable {
        var declaredBytes: UInt64
        var availableBytes: UInt64
        /// True when the outer RIFF/FORM size also claims the missing bytes: the
        /// header was written for a longer file, which was then cut off.
        var outerSizeAgrees: Bool
    }

    enum Finding: Equatable {
        /// Nothing to report from the bytes alone.
        case fine
        /// The header ends inside a chunk, before the audio starts.
        case headerCut(String)
        /// The data chunk announces more bytes than remain in the file.
        case dataShort(DataExtent)
        /// A header count contradicts the audio that is there (a sentence saying how).
        case inconsistent(String)
        /// A compressed stream is cut off: it lacks the end its format requires.
        case truncatedStream(String)
    }

    /// Bytes to serve in place of the file's own, at `offset`.
    struct Patch: Equatable {
        var offset: UInt64
        var bytes: [UInt8]
    }

    /// What the `fmt ` or `COMM` chunk says, for messages in seconds.
    struct PCMLayout: Equatable {
        var channels: Int
        var sampleRate: Int
        var bytesPerFrame: Int
    }

    let fileSize: UInt64
    let magic: Magic
    private(set) var finding: Finding = .fine
    /// Size fields to override so the decoder reads exactly the audio.
    private(set) var patches: [Patch] = []
    /// Set when a size field said "unknown" and the extent was worked out from the file.
    private(set) var lengthWasUnknown = false
    private(set) var layout: PCMLayout?
    /// The WAV `fmt ` chunk's format tag (1 PCM, 3 float, 0x55 MPEG layer 3, ...).
    private(set) var formatTag: Int?
    /// MPEG audio whose first frame is a Xing, Info or VBRI header: its length
    /// is announced, and a stream that decodes shorter was cut.
    private(set) var hasLengthHeader = false
    /// An MP4 whose audio box is declared to run to the end of the file (size
    /// 0, as a streaming writer leaves it): its boxes cannot show a cut, so the
    /// length its index announces is the promise to check. With every box's
    /// size known and met, the index cannot point past the file, and a stream
    /// shorter than announced is a header that rounds, not a cut.
    private(set) var mp4OpenEnded = false

    /// Longest stretch at the end of a file searched for chunks that follow audio
    /// of unknown length: metadata chunks (LIST, id3, bext, cue) are far smaller.
    static let trailingChunkSearchBytes: UInt64 = 1 << 20

    init(fd: Int32, fileSize: UInt64) {
        self.fileSize = fileSize
        let head = Self.read(fd, 512, at: 0, allowShort: true) ?? []
        var magic = Self.classify(head)
        var base: UInt64 = 0
        // An ID3v2 tag can precede MP3 and also FLAC or WAV; the format is what follows it.
        if head.starts(with: Array("ID3".utf8)), head.count >= 10 {
            let tagEnd = Self.id3v2End(head)
            if let after = Self.read(fd, 512, at: tagEnd, allowShort: true), !after.isEmpty {
                let inner = Self.classify(after)
                if inner == .flac || inner == .riff || inner == .ogg || inner == .adts {
                    magic = inner
                    base = tagEnd
                }
            }
        }
        // MPEG audio after junk (zero padding, a broken tag): two frame headers in a row.
        if magic == .unknown, let start = Self.read(fd, 8192, at: 0, allowShort: true),
           MPEGFrameHeader.firstFrame(in: start) != nil {
            magic = .mp3
        }
        // A file of a few bytes that begin an audio signature is a cut header, not text.
        if head.count < 12, magic != .mp4,
           let family = Self.signatures.first(where: { $0.bytes.starts(with: head) || head.starts(with: $0.bytes) }) {
            magic = family.magic
            finding = .headerCut("the file ends after \(head.count) byte\(head.count == 1 ? "" : "s"), inside its header")
        }
        self.magic = magic
        switch magic {
        case .riff, .rf64: walkRIFF(fd: fd, base: base, rf64: magic == .rf64, bigEndian: head.starts(with: Array("RIFX".utf8)))
        case .aiff: walkAIFF(fd: fd)
        case .ogg: checkOggEnd(fd: fd)
        case .mp4: walkMP4(fd: fd)
        case .matroska: checkMatroskaSize(fd: fd)
        case .mp3:
            if let start = Self.read(fd, 65_536, at: 0, allowShort: true) { hasLengthHeader = MPEGFrameHeader.hasLengthHeader(start) }
        default: break
        }
    }

    /// The first bytes of each format, for files cut inside them.
    static let signatures: [(bytes: [UInt8], magic: Magic)] = [
        (Array("RIFF".utf8), .riff), (Array("RF64".utf8), .rf64), (Array("BW64".utf8), .rf64),
        (Array("FORM".utf8), .aiff), (Array("fLaC".utf8), .flac), (Array("OggS".utf8), .ogg), (Array("ID3".utf8), .mp3),
    ]

    /// True for text: an error body or page, never audio.
    var isText: Bool { [.html, .json, .xml, .text].contains(magic) }

    /// A phrase for a file that is not audio, or that libsndfile did not recognise.
    var notAudioExplanation: String {
        switch magic {
        case .html: "not audio: the file is an HTML page (a failed or redirected download?)"
        case .json: "not audio: the file is JSON text (an API error response saved as audio?)"
        case .xml: "not audio: the file is XML text (a storage error response, such as an expired link, saved as audio?)"
        case .text: "not audio: the file is plain text"
        case .riff, .rf64, .aiff, .flac, .ogg, .mp3, .mp4, .adts, .matroska:
            "damaged header: the file starts like audio but cannot be decoded"
        case .unknown: "not audio: format not recognised"
        }
    }

    /// Size of an ID3v2 tag from its 10-byte header (sync-safe size, optional footer).
    static func id3v2End(_ head: [UInt8]) -> UInt64 {
        let size = head[6..<10].reduce(UInt64(0)) { $0 << 7 | UInt64($1 & 0x7F) }
        let footer: UInt64 = head[5] & 0x10 != 0 ? 10 : 0
        return 10 + size + footer
    }

    static func classify(_ head: [UInt8]) -> Magic {
        func starts(_ s: String) -> Bool { head.starts(with: Array(s.utf8)) }
        if starts("RIFF") || starts("RIFX") { return .riff }
        if starts("RF64") || starts("BW64") { return .rf64 }
        if starts("FORM"), head.count >= 12,
           head[8..<12].elementsEqual("AIFF".utf8) || head[8..<12].elementsEqual("AIFC".utf8) { return .aiff }
        if starts("fLaC") { return .flac }
        if starts("OggS") { return .ogg }
        if head.count >= 8, head[4..<8].elementsEqual("ftyp".utf8) { return .mp4 }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) { return .matroska }
        // An ADTS header: 12 sync bits, then MPEG layer 0 (MPEG audio has 1 to 3).
        if head.count >= 7, head[0] == 0xFF, head[1] & 0xF6 == 0xF0 { return .adts }
        // An MPEG audio frame header: 11 sync bits, a version and layer that exist.
        if starts("ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0
                             && head[1] & 0x18 != 0x08 && head[1] & 0x06 != 0) { return .mp3 }
        // Text: skip a UTF-8 byte-order mark and leading white space.
        var body = head[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        body = body.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let lower = String(decoding: body.prefix(64), as: UTF8.self).lowercased()
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") || lower.hasPrefix("<head")
            || lower.hasPrefix("<body") { return .html }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<error") { return .xml }
        if lower.hasPrefix("{") || lower.hasPrefix("[") { return .json }
        // Plain text: printable ASCII or valid UTF-8, no control bytes but tab and line ends.
        let sample = Array(body.prefix(256))
        let controls = sample.contains { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D || $0 == 0x7F }
        if !sample.isEmpty && !controls && Self.isUTF8Prefix(sample) { return .text }
        return .unknown
    }

    /// Whether `bytes` is valid UTF-8, allowing a sequence cut off at the end.
    private static func isUTF8Prefix(_ bytes: [UInt8]) -> Bool {
        var trimmed = bytes[...]
        // Drop an incomplete last sequence (up to 3 bytes), cut by the sample's end.
        for _ in 0..<3 where (trimmed.last.map { $0 & 0xC0 == 0x80 || $0 >= 0xC0 } ?? false) {
            if String(validating: trimmed, as: UTF8.self) != nil { return true }
            trimmed = trimmed.dropLast()
        }
        return String(validating: trimmed, as: UTF8.self) != nil
    }

    // MARK: Bytes

    static func read(_ fd: Int32, _ count: Int, at offset: UInt64, allowShort: Bool = false) -> [UInt8]? {
        guard offset < UInt64(Int64.max) else { return nil }
        var buf = [UInt8](repeating: 0, count: count)
        let got = buf.withUnsafeMutableBytes { SystemCall.pread(fd, $0, offset: offset) }
        if got == count { return buf }
        return allowShort && got >= 0 ? Array(buf.prefix(got)) : nil
    }

    private static func le32(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(b[i]) | UInt64(b[i + 1]) << 8 | UInt64(b[i + 2]) << 16 | UInt64(b[i + 3]) << 24
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(b[i]) << 24 | UInt64(b[i + 1]) << 16 | UInt64(b[i + 2]) << 8 | UInt64(b[i + 3])
    }

    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func le64(_ b: [UInt8], _ i: Int) -> UInt64 { le32(b, i) | le32(b, i + 4) << 32 }

    private static func littleEndian32(_ v: UInt64) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private static func littleEndian64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private static func bigEndian32(_ v: UInt64) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    private static func chunkName(_ id: [UInt8]) -> String {
        var s = String(decoding: id.map { (0x20...0x7E).contains($0) ? $0 : 0x3F }, as: UTF8.self)
        while s.last == " " { s.removeLast() }
        return s
    }

    // MARK: RIFF

    /// Walks RIFF chunks up to `data`, from `base` (past an ID3v2 tag). RF64
    /// keeps the true sizes in `ds64`.
    private mutating func walkRIFF(fd: Int32, base: UInt64, rf64: Bool, bigEndian: Bool) {
        guard !bigEndian else { return }   // RIFX: rare; libsndfile's own checks stand.
        guard let header = Self.read(fd, 12, at: base) else {
            finding = .headerCut("the file ends inside the RIFF header")
            return
        }
        var outerDeclared = base + Self.le32(header, 4) + 8
        var ds64: (offset: UInt64, riff: UInt64, data: UInt64)?
        var offset: UInt64 = base + 12
        while true {
            guard let chunk = Self.read(fd, 8, at: offset) else {
                finding = .headerCut("the file ends after \(offset) bytes, before the audio data chunk")
                return
            }
            let id = Array(chunk[0..<4])
            let size = Self.le32(chunk, 4)
            if rf64, id.elementsEqual("ds64".utf8), let ds = Self.read(fd, 16, at: offset + 8) {
                ds64 = (offset + 8, Self.le64(ds, 0), Self.le64(ds, 8))
                let declared = Self.le64(ds, 0)
                outerDeclared = declared > UInt64.max - base - 8 ? UInt64.max : base + declared + 8
            }
            if id.elementsEqual("fmt ".utf8), size >= 16, let f = Self.read(fd, 16, at: offset + 8) {
                let channels = Self.le16(f, 2), align = Self.le16(f, 12)
                formatTag = Self.le16(f, 0)
                layout = PCMLayout(channels: channels, sampleRate: Int(Self.le32(f, 4)), bytesPerFrame: align)
            }
            if id.elementsEqual("data".utf8) {
                riffData(fd: fd, base: base, at: offset, size: size, ds64: ds64, outerDeclared: outerDeclared)
                return
            }
            let next = offset + 8 + size + (size & 1)
            if next > fileSize {
                finding = .headerCut("the '\(Self.chunkName(id))' chunk at byte \(offset) runs past the end of the file")
                return
            }
            offset = next
        }
    }

    private mutating func riffData(fd: Int32, base: UInt64, at offset: UInt64, size: UInt64,
                                   ds64: (offset: UInt64, riff: UInt64, data: UInt64)?, outerDeclared: UInt64) {
        let start = offset + 8
        let available = fileSize - min(fileSize, start)
        var declared = size
        if let ds64, size == 0xFFFF_FFFF { declared = ds64.data }
        // A streaming writer that could not seek back leaves 0 (or 0xFFFFFFFF):
        // the length is unknown rather than wrong. The audio runs to the first of
        // the chunks that may follow it, or to the end of the file.
        if declared == 0 || declared == 0xFFFF_FFFF {
            guard available > 0 else { return }
            let extent = trailingChunkStart(fd: fd, dataStart: start, bigEndian: false) - start
            lengthWasUnknown = true
            if let ds64 {
                patches.append(Patch(offset: ds64.offset, bytes: Self.littleEndian64(fileSize - base - 8)))
                patches.append(Patch(offset: ds64.offset + 8, bytes: Self.littleEndian64(extent)))
            } else {
                patches.append(Patch(offset: base + 4, bytes: Self.littleEndian32(min(fileSize - base - 8, 0xFFFF_FFFE))))
                patches.append(Patch(offset: offset + 4, bytes: Self.littleEndian32(min(extent, 0xFFFF_FFFE))))
            }
            return
        }
        guard declared > available else { return }
        finding = .dataShort(DataExtent(declaredBytes: declared, availableBytes: available,
                                        outerSizeAgrees: outerDeclared > fileSize && outerDeclared >= start &+ declared))
    }

    /// Where chunks that follow audio of unknown length begin: the earliest
    /// word-aligned offset in the last `trailingChunkSearchBytes` from which a
    /// chain of chunks (printable four-character ids, sizes that add up) ends
    /// exactly at the end of the file. The end of the file when there is none.
    /// One backward pass: whether a chain from each offset reaches the end is
    /// known once the offsets after it are, so the search is linear in the tail.
    private func trailingChunkStart(fd: Int32, dataStart: UInt64, bigEndian: Bool) -> UInt64 {
        let span = min(fileSize - dataStart, Self.trailingChunkSearchBytes)
        guard span >= 8, let tail = Self.read(fd, Int(span), at: fileSize - span) else { return fileSize }
        let base = fileSize - span
        var reaches = [Bool](repeating: false, count: tail.count + 1)
        reaches[tail.count] = true
        var p = tail.count - 8
        while p >= 0 {
            if tail[p] != 0x20, tail[p..<p + 4].allSatisfy({ (0x20...0x7E).contains($0) }) {
                let size = Int(bigEndian ? Self.be32(tail, p + 4) : Self.le32(tail, p + 4))
                let end = p + 8 + size
                // The chunk ends at the end of the file (with or without its pad
                // byte), or where another chunk of the chain begins.
                if end == tail.count || (end + (size & 1) <= tail.count && reaches[end + (size & 1)]) {
                    reaches[p] = true
                }
            }
            p -= 1
        }
        // Chunks start on even offsets from the data's start.
        var start = base < dataStart ? Int(dataStart - base) : Int((base - dataStart) & 1)
        while start + 8 <= tail.count {
            if reaches[start] { return base + UInt64(start) }
            start += 2
        }
        return fileSize
    }

    // MARK: MP4

    /// Walks an MP4's top-level boxes (ISO/IEC 14496-12, 4.2: a 32-bit size, a
    /// type, and a 64-bit size after it when the first is 1; 0 runs to the end of
    /// the file). A download cut short ends inside a box, usually `mdat` (the
    /// audio) or, when the index is written last, before `moov` (the index
    /// without which no sample can be found). At most 4,096 boxes are visited;
    /// a real file has a handful.
    private mutating func walkMP4(fd: Int32) {
        var offset: UInt64 = 0
        var sawIndex = false, sawMedia = false
        for _ in 0..<4096 {
            guard offset < fileSize else { break }
            guard let header = Self.read(fd, 16, at: offset, allowShort: true), header.count >= 8 else {
                // A few bytes after complete index and audio boxes are padding, not a cut.
                if !(sawIndex && sawMedia) {
                    finding = .truncatedStream("the MP4 ends inside the header of a box, \(fileSize) bytes in")
                }
                return
            }
            let type = String(decoding: header[4..<8], as: UTF8.self)
            var size = Self.be32(header, 0)
            if size == 1 {
                guard header.count == 16 else {
                    finding = .truncatedStream("the MP4 ends inside the header of its '\(type)' box")
                    return
                }
                size = Self.be32(header, 8) << 32 | Self.be32(header, 12)
            } else if size == 0 {
                size = fileSize - offset
                mp4OpenEnded = true
            }
            guard size >= 8 else {
                finding = .inconsistent("damaged MP4: the '\(type)' box at byte \(offset) declares \(size) bytes")
                return
            }
            if type == "moov" { sawIndex = true }
            if type == "mdat" { sawMedia = true }
            let (end, overflow) = offset.addingReportingOverflow(size)
            // Bytes that follow complete index and audio boxes do not take audio
            // away, whatever they are (players ignore them).
            if (overflow || end > fileSize) && sawIndex && sawMedia && type != "moov" && type != "mdat" { return }
            if overflow || end > fileSize {
                let whole = type == "mdat" ? "its audio ('mdat') box" : "its '\(type)' box"
                finding = .truncatedStream("the MP4 ends \(fileSize - offset) bytes into \(whole), which "
                    + "declares \(size) bytes" + (sawIndex ? "" : ", and its index ('moov') was never reached"))
                return
            }
            offset = end
        }
        if !sawIndex {
            finding = sawMedia
                ? .inconsistent("damaged MP4: it holds audio data ('mdat') but no index ('moov') to find it by")
                : .inconsistent("damaged MP4: it has no index ('moov') box")
        }
    }

    // MARK: Matroska

    /// A Matroska or WebM file is an EBML header and one Segment whose size,
    /// unless written as "unknown" by a live writer, says where the file ends
    /// (RFC 9559, 4 and 6): a download cut short ends inside it.
    private mutating func checkMatroskaSize(fd: Int32) {
        guard let head = Self.read(fd, 128, at: 0, allowShort: true), head.count >= 12 else { return }
        /// An EBML variable-size integer at `i`: its value, its length in bytes,
        /// and whether every value bit is 1 ("unknown size").
        func vint(_ i: Int) -> (value: UInt64, length: Int, unknown: Bool)? {
            guard i < head.count, head[i] != 0 else { return nil }
            let length = head[i].leadingZeroBitCount + 1
            guard i + length <= head.count else { return nil }
            let mask: UInt8 = length == 8 ? 0 : 0xFF >> length
            var value = UInt64(head[i] & mask)
            var unknown = head[i] & mask == mask
            for k in 1..<length {
                value = value << 8 | UInt64(head[i + k])
                unknown = unknown && head[i + k] == 0xFF
            }
            return (value, length, unknown)
        }
        // The EBML header's ID takes 4 bytes; its body is a few dozen bytes.
        guard let header = vint(4), header.value < 100 else { return }
        let segment = 4 + header.length + Int(header.value)
        guard segment + 5 <= head.count, head[segment..<segment + 4].elementsEqual([0x18, 0x53, 0x80, 0x67]),
              let size = vint(segment + 4), !size.unknown else { return }
        let start = UInt64(segment + 4 + size.length)
        let (end, overflow) = start.addingReportingOverflow(size.value)
        if overflow || end > fileSize {
            finding = .truncatedStream("the Matroska segment declares \(size.value) bytes but the file ends "
                + "\(fileSize - min(fileSize, start)) bytes into it")
        }
    }

    // MARK: Ogg

    /// An Ogg stream ends with a whole page carrying the end-of-stream flag. A
    /// download cut short ends inside a page, or after a page without the flag;
    /// libsndfile then cannot find the length and reads what is there as if it
    /// were the whole track.
    private mutating func checkOggEnd(fd: Int32) {
        let span = min(fileSize, 65_536 + 282)   // the largest page is 27 + 255 + 255 * 255 bytes
        guard let tail = Self.read(fd, Int(span), at: fileSize - span) else { return }
        var p = tail.count - 27
        while p >= 0 {
            if tail[p] == 0x4F, tail[p + 1] == 0x67, tail[p + 2] == 0x67, tail[p + 3] == 0x53, tail[p + 4] == 0 {
                let segments = Int(tail[p + 26])
                if p + 27 + segments <= tail.count {
                    let body = tail[p + 27 ..< p + 27 + segments].reduce(0) { $0 + Int($1) }
                    let end = p + 27 + segments + body
                    if end == tail.count {
                        if tail[p + 5] & 0x04 == 0 {
                            finding = .truncatedStream("the Ogg stream stops after a page that is not its last "
                                + "(no end-of-stream page follows)")
                        }
                        return
                    }
                    if end < tail.count { break }   // a whole page that is not the last: the end is inside a page
                }
            }
            p -= 1
        }
        finding = .truncatedStream("the Ogg stream breaks off inside a page")
    }

    // MARK: AIFF

    /// Walks AIFF chunks up to `SSND` (big-endian sizes; SSND carries 8 bytes of offset/block size).
    /// AIFC compression types whose frames are plain PCM of the COMM sample size.
    static let pcmCompressions: Set<String> = ["NONE", "none", "sowt", "twos", "raw ", "in24", "in32", "fl32", "fl64", "FL32", "FL64"]

    private mutating func walkAIFF(fd: Int32) {
        guard let header = Self.read(fd, 12, at: 0) else {
            finding = .headerCut("the file ends inside the AIFF header")
            return
        }
        let aifc = header[8..<12].elementsEqual("AIFC".utf8)
        let outerDeclared = Self.be32(header, 4) + 8
        var commFrames: UInt64?
        var offset: UInt64 = 12
        while true {
            guard let chunk = Self.read(fd, 8, at: offset) else {
                finding = .headerCut("the file ends after \(offset) bytes, before the sound data chunk")
                return
            }
            let id = Array(chunk[0..<4])
            let size = Self.be32(chunk, 4)
            if id.elementsEqual("COMM".utf8), size >= 18, let c = Self.read(fd, 18, at: offset + 8) {
                // AIFC names its compression after the 18 bytes of AIFF's COMM: only
                // plain PCM holds a known number of bytes per frame.
                let compression = aifc && size >= 22 ? Self.read(fd, 4, at: offset + 26).map { String(decoding: $0, as: UTF8.self) } : nil
                commFrames = compression.map { Self.pcmCompressions.contains($0) } ?? true ? Self.be32(c, 2) : nil
                let channels = Self.be16(c, 0), bits = Self.be16(c, 6)
                layout = PCMLayout(channels: channels, sampleRate: Self.extendedRate(Array(c[8..<18])),
                                   bytesPerFrame: channels * ((bits + 7) / 8))
            }
            if id.elementsEqual("SSND".utf8) {
                aiffSound(fd: fd, at: offset, size: size, commFrames: commFrames, outerDeclared: outerDeclared)
                return
            }
            let next = offset + 8 + size + (size & 1)
            if next > fileSize {
                finding = .headerCut("the '\(Self.chunkName(id))' chunk at byte \(offset) runs past the end of the file")
                return
            }
            offset = next
        }
    }

    private mutating func aiffSound(fd: Int32, at offset: UInt64, size: UInt64, commFrames: UInt64?, outerDeclared: UInt64) {
        let start = offset + 16
        let available = fileSize - min(fileSize, start)
        if size == 0 || size == 0xFFFF_FFFF {
            // Unknown length, as for WAV: libsndfile reads to the end of the file,
            // so only chunks after the sound need keeping out.
            guard available > 0 else { return }
            let end = trailingChunkStart(fd: fd, dataStart: start, bigEndian: true)
            lengthWasUnknown = true
            if end < fileSize {
                patches.append(Patch(offset: offset + 4, bytes: Self.bigEndian32(min(end - start + 8, 0xFFFF_FFFE))))
            }
            return
        }
        let declared = size >= 8 ? size - 8 : 0
        if declared > available {
            finding = .dataShort(DataExtent(declaredBytes: declared, availableBytes: available,
                                            outerSizeAgrees: outerDeclared > fileSize && outerDeclared >= start + declared))
            return
        }
        // COMM's frame count 0 is a streaming writer's "unknown"; any other count
        // beyond what the sound chunk holds is a header that lies (the WAV case
        // is a data size beyond the file).
        if let frames = commFrames, frames > 0, let layout, layout.bytesPerFrame > 0 {
            let held = declared / UInt64(layout.bytesPerFrame)
            if frames > held + 1 {
                finding = .inconsistent("damaged header: the COMM chunk claims \(Self.seconds(frames, layout.sampleRate)) "
                    + "of audio (\(frames) frames) but the sound data holds \(Self.seconds(held, layout.sampleRate))")
            }
        } else if commFrames == 0 {
            lengthWasUnknown = true
        }
    }

    /// An IEEE 754 80-bit extended number (AIFF's sample rate) as a whole rate; 0 when absurd.
    static func extendedRate(_ b: [UInt8]) -> Int {
        let exponent = Int(b[0] & 0x7F) << 8 | Int(b[1])
        let mantissa = b[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard b[0] & 0x80 == 0, mantissa != 0 else { return 0 }
        let shift = exponent - 16383 - 63
        // Rates of 2^63 and more (shift 0 and up) are absurd; they must not trap.
        guard (-63 ... -1).contains(shift) else { return shift >= 0 ? Int.max : 0 }
        return Int(mantissa >> UInt64(-shift))
    }

    static func seconds(_ frames: UInt64, _ rate: Int) -> String {
        guard rate > 0, frames < UInt64(1) << 53 else { return "\(frames) frames" }
        return SoundFile.seconds(Int(frames), rate)
    }
}
