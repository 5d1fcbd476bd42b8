/// Sets tags in a finished FLAC, Ogg (Opus or Vorbis) or MP3 file, in place,
/// leaving the audio bytes as they are: the gain tags and loudness of a
/// delivery are known only once it is written and measured, and libsndfile
/// stores only its ten fixed string tags, and only before the first frame.
///
/// - FLAC: the VORBIS_COMMENT block is rewritten (added after STREAMINFO when
///   there is none); PADDING blocks are dropped, as `metaflac
///   --dont-use-padding` would.
/// - Ogg: the comment header packet (`OpusTags`, RFC 7845 s5.2; Vorbis's
///   comment header, with its framing bit) is rewritten and the header pages
///   laid out again; the pages after them are renumbered, with new CRCs, if
///   their count changed. One logical stream only.
/// - MP3: the ID3v2 tag at the start is updated (kept at v2.3 or v2.4) or a
///   v2.4 tag is added; Vorbis names map to frames (`TITLE` to `TIT2`, ...),
///   others become `TXXX` frames described by the name, as ffmpeg and rsgain
///   write `REPLAYGAIN_TRACK_GAIN`.
///
/// The file is meant to be a temporary not yet under its final name
/// (`FinishedOutputFile`): an error can leave it half-updated.
public enum TagEditor {
    /// Why a file's tags cannot be updated without losing something.
    struct Refusal: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The kinds of file whose tags can be set.
    enum Kind {
        case flac, ogg, mp3
    }

    /// Which kind of taggable file starts with `head`; nil for any other.
    static func kind(_ head: [UInt8]) -> Kind? {
        if head.starts(with: "fLaC".utf8) { return .flac }
        if head.starts(with: "OggS".utf8) { return .ogg }
        if head.starts(with: "ID3".utf8) || (head[0] == 0xFF && head[1] & 0xE0 == 0xE0) { return .mp3 }
        return nil
    }

    /// Sets `fields` (names as Vorbis comment fields; an empty value removes one).
    /// - Throws: `.invalidArgument` for a file of another kind (WAV has no
    ///   standard place for gain tags), or one whose tag layout cannot be kept
    ///   (a multiplexed Ogg file, an unsynchronised ID3 tag); `.notAudio` or
    ///   `.truncated` for a damaged file; `.writeFailed` when the file cannot be written.
    public static func set(_ fields: [TagField], path: String) throws(AudioIOError) {
        let file = try PatchedFile(path: path)
        var head = [UInt8](repeating: 0, count: 10)
        guard try file.read(&head, at: 0) >= 4, let kind = kind(head) else {
            throw AudioIOError(.invalidArgument, path: path, detail: "tags can be set in FLAC, Ogg and MP3 files only")
        }
        switch kind {
        case .flac: try setFLAC(fields, file)
        case .ogg: try setOgg(fields, file)
        case .mp3: try setMP3(fields, file, head: head)
        }
    }

    /// The value of the field `name` in the file, or nil when it has none.
    /// - Throws: as `set`, for a file whose tags cannot be read.
    public static func value(_ name: String, path: String) throws(AudioIOError) -> String? {
        let file = try PatchedFile(path: path, readOnly: true)
        var head = [UInt8](repeating: 0, count: 10)
        guard try file.read(&head, at: 0) >= 4, let kind = kind(head) else { return nil }
        switch kind {
        case .flac: return try flacComment(file).comment?.value(name)
        case .ogg: return try oggHeaders(file).comment.value(name)
        case .mp3:
            guard let size = ID3v2Tag.size(head) else { return nil }
            return try id3Tag(file, size: size).value(name)
        }
    }

    // MARK: FLAC

    private struct FLACBlock {
        var type: UInt8
        var body: [UInt8]
    }

    /// The metadata blocks, the comment among them, and where the audio starts.
    private static func flacComment(_ file: borrowing PatchedFile) throws(AudioIOError)
        -> (blocks: [FLACBlock], comment: VorbisComment?, audioStart: Int) {
        var blocks: [FLACBlock] = []
        var comment: VorbisComment?
        var position = 4
        while true {
            let header = try file.bytes(4, at: position, what: "FLAC metadata")
            let length = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            let body = try file.bytes(length, at: position + 4, what: "FLAC metadata")
            let type = header[0] & 0x7F
            if type == 4 {
                guard let parsed = VorbisComment(body) else {
                    throw AudioIOError(.notAudio, path: file.path, detail: "its Vorbis comment block is damaged")
                }
                comment = parsed
            }
            blocks.append(FLACBlock(type: type, body: body))
            position += 4 + length
            if header[0] & 0x80 != 0 { break }
            guard blocks.count < 1024 else { throw AudioIOError(.notAudio, path: file.path, detail: "no last FLAC metadata block") }
        }
        guard blocks.first?.type == 0 else { throw AudioIOError(.notAudio, path: file.path, detail: "no FLAC STREAMINFO block") }
        return (blocks, comment, position)
    }

    private static func setFLAC(_ fields: [TagField], _ file: borrowing PatchedFile) throws(AudioIOError) {
        var (blocks, comment, audioStart) = try flacComment(file)
        var updated = comment ?? VorbisComment(vendor: "TrackGate")
        updated.set(fields)
        blocks.removeAll { $0.type == 1 || $0.type == 4 }   // PADDING, the old comment
        blocks.insert(FLACBlock(type: 4, body: updated.bytes), at: 1)
        var region: [UInt8] = []
        for (i, block) in blocks.enumerated() {
            let length = block.body.count
            guard length < 1 << 24 else {
                throw AudioIOError(.invalidArgument, path: file.path, detail: "its tags would exceed FLAC's 16 MiB block")
            }
            region += [(i == blocks.count - 1 ? 0x80 : 0) | block.type, UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
                       UInt8(length & 0xFF)] + block.body
        }
        try file.replace(4 ..< audioStart, with: region)
    }

    // MARK: Ogg

    private enum OggCodec {
        case opus, vorbis
        var headerPackets: Int { self == .opus ? 2 : 3 }
        var commentMagic: [UInt8] { self == .opus ? Array("OpusTags".utf8) : [3] + Array("vorbis".utf8) }
    }

    private struct OggHeaders {
        var codec: OggCodec
        var serial: UInt32
        /// Bytes of the first page (the identification header), kept as it is.
        var firstPageLength: Int
        /// Where the audio pages start.
        var end: Int
        var pageCount: Int
        /// Header packets after the first (the comment first).
        var packets: [[UInt8]]
        var comment: VorbisComment
    }

    private static func oggHeaders(_ file: borrowing PatchedFile) throws(AudioIOError) -> OggHeaders {
        func damaged(_ what: String) -> AudioIOError { AudioIOError(.notAudio, path: file.path, detail: what) }
        guard let first = try OggPage.read(file, at: 0), first.flags & 0x02 != 0, first.segments.complete.count == 1 else {
            throw damaged("its first Ogg page does not hold one identification header")
        }
        let id = first.body
        let codec: OggCodec
        if id.starts(with: "OpusHead".utf8) { codec = .opus }
        else if id.starts(with: [1] + Array("vorbis".utf8)) { codec = .vorbis }
        else { throw AudioIOError(.invalidArgument, path: file.path, detail: "its Ogg stream is neither Opus nor Vorbis") }

        var packets: [[UInt8]] = []
        var partial: [UInt8] = []
        var position = first.byteCount
        var pageCount = 0
        while packets.count < codec.headerPackets - 1 {
            guard let page = try OggPage.read(file, at: position) else { throw damaged("the file ends inside its Ogg headers") }
            guard page.serial == first.serial else {
                throw AudioIOError(.invalidArgument, path: file.path, detail: "it holds more than one Ogg stream")
            }
            let (complete, open) = page.segments
            for range in complete {
                packets.append(partial + page.body[range])
                partial = []
            }
            if let open { partial += page.body[open] }
            position += page.byteCount
            pageCount += 1
            if packets.count >= codec.headerPackets - 1 && (open != nil || packets.count > codec.headerPackets - 1) {
                throw AudioIOError(.invalidArgument, path: file.path, detail: "its audio starts on a header page")
            }
        }
        let magic = codec.commentMagic
        guard packets[0].starts(with: magic), let comment = VorbisComment(packets[0], from: magic.count) else {
            throw damaged("its Ogg comment header is damaged")
        }
        return OggHeaders(codec: codec, serial: first.serial, firstPageLength: first.byteCount, end: position,
                          pageCount: pageCount, packets: packets, comment: comment)
    }

    private static func setOgg(_ fields: [TagField], _ file: borrowing PatchedFile) throws(AudioIOError) {
        var headers = try oggHeaders(file)
        var comment = headers.comment
        comment.set(fields)
        // Opus may keep padding after the list; it is dropped. Vorbis's list ends with a framing bit.
        headers.packets[0] = headers.codec.commentMagic + comment.bytes + (headers.codec == .vorbis ? [1] : [])
        let pages = OggPage.paginate(headers.packets, serial: headers.serial, firstSequence: 1)
        try file.replace(headers.firstPageLength ..< headers.end, with: pages.flatMap(\.bytes))
        let shift = pages.count - headers.pageCount
        guard shift != 0 else { return }
        // Later pages keep their bytes but not their numbers: renumber them, with new CRCs.
        var position = headers.firstPageLength + pages.reduce(0) { $0 + $1.byteCount }
        while var page = try OggPage.read(file, at: position) {
            defer { position += page.byteCount }
            guard page.serial == headers.serial else { continue }
            page.sequence = UInt32(truncatingIfNeeded: Int(page.sequence) + shift)
            let bytes = page.bytes
            try file.write(Array(bytes[..<OggPage.headerLength]), at: position)
        }
    }

    // MARK: MP3

    private static func id3Tag(_ file: borrowing PatchedFile, size: Int) throws(AudioIOError) -> ID3v2Tag {
        let bytes = try file.bytes(size, at: 0, what: "ID3v2 tag")
        do throws(Refusal) {
            return try ID3v2Tag.parse(bytes)
        } catch {
            throw AudioIOError(.invalidArgument, path: file.path, detail: "cannot set its tags: \(error.reason)")
        }
    }

    private static func setMP3(_ fields: [TagField], _ file: borrowing PatchedFile, head: [UInt8]) throws(AudioIOError) {
        var tag = ID3v2Tag()
        var oldSize = 0
        if let size = ID3v2Tag.size(head) {
            oldSize = size
            tag = try id3Tag(file, size: size)
        }
        tag.set(fields)
        try file.replace(0 ..< oldSize, with: tag.bytes)
    }
}
