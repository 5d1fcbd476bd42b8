/// One Ogg page (RFC 3533 s6): a 27-byte header, a segment table of up to 255
/// lacing values, then the body. A packet is the run of segments up to the
/// first lacing value under 255; a page that starts inside a packet has the
/// `continued` flag.
struct OggPage {
    static let headerLength = 27
    var flags: UInt8
    var granulePosition: UInt64
    var serial: UInt32
    var sequence: UInt32
    var lacing: [UInt8]
    var body: [UInt8]

    var byteCount: Int { Self.headerLength + lacing.count + body.count }

    /// Reads the page at `offset`; nil at the end of the file.
    /// - Throws: `.notAudio` when no page starts there, `.truncated` when the file ends inside one.
    static func read(_ file: borrowing PatchedFile, at offset: Int) throws(AudioIOError) -> OggPage? {
        var header = [UInt8](repeating: 0, count: headerLength)
        let n = try file.read(&header, at: offset)
        if n == 0 { return nil }
        guard n == headerLength, header[0..<4].elementsEqual("OggS".utf8), header[4] == 0 else {
            throw AudioIOError(.notAudio, path: file.path, detail: "no Ogg page at byte \(offset)")
        }
        func le(_ at: Int, _ count: Int) -> UInt64 {
            (0..<count).reduce(0) { $0 | UInt64(header[at + $1]) << (8 * UInt64($1)) }
        }
        let lacing = try file.bytes(Int(header[26]), at: offset + headerLength, what: "Ogg page at byte \(offset)")
        let bodyLength = lacing.reduce(0) { $0 + Int($1) }
        let body = try file.bytes(bodyLength, at: offset + headerLength + lacing.count, what: "Ogg page at byte \(offset)")
        return OggPage(flags: header[5], granulePosition: le(6, 8), serial: UInt32(le(14, 4)), sequence: UInt32(le(18, 4)),
                       lacing: lacing, body: body)
    }

    /// The page as stored, with its CRC computed.
    var bytes: [UInt8] {
        var out = Array("OggS".utf8) + [0, flags]
        for i in 0..<8 { out.append(UInt8(granulePosition >> (8 * UInt64(i)) & 0xFF)) }
        for i in 0..<4 { out.append(UInt8(serial >> (8 * UInt32(i)) & 0xFF)) }
        for i in 0..<4 { out.append(UInt8(sequence >> (8 * UInt32(i)) & 0xFF)) }
        out += [0, 0, 0, 0, UInt8(lacing.count)] + lacing + body
        let crc = Self.crc(out)
        for i in 0..<4 { out[22 + i] = UInt8(crc >> (8 * UInt32(i)) & 0xFF) }
        return out
    }

    /// The packets that end on this page and whether the last segment run is
    /// left open (a packet that continues on the next page), as byte ranges of the body.
    var segments: (complete: [Range<Int>], openTail: Range<Int>?) {
        var complete: [Range<Int>] = []
        var start = 0, position = 0
        for value in lacing {
            position += Int(value)
            if value < 255 {
                complete.append(start ..< position)
                start = position
            }
        }
        return (complete, lacing.last == 255 ? start ..< position : nil)
    }

    /// Pages carrying `packets` whole, the first with sequence number `firstSequence`;
    /// the last page ends with the last packet (RFC 7845 s3 and the Vorbis I
    /// specification ask this of the header pages). Granule position 0 on pages
    /// where a packet ends, -1 (none) on pages where none does.
    static func paginate(_ packets: [[UInt8]], serial: UInt32, firstSequence: UInt32) -> [OggPage] {
        var pages: [OggPage] = []
        var lacing: [UInt8] = [], body: [UInt8] = []
        var continued = false, packetEnded = false
        func flush(nextContinues: Bool) {
            pages.append(OggPage(flags: continued ? 0x01 : 0, granulePosition: packetEnded ? 0 : UInt64.max,
                                 serial: serial, sequence: firstSequence + UInt32(pages.count), lacing: lacing, body: body))
            lacing = []
            body = []
            continued = nextContinues
            packetEnded = false
        }
        for packet in packets {
            var remaining = packet.count
            var offset = 0
            while true {
                if lacing.count == 255 { flush(nextContinues: true) }
                let take = min(255, remaining)
                lacing.append(UInt8(take))
                body += packet[offset ..< offset + take]
                offset += take
                remaining -= take
                if take < 255 { packetEnded = true; break }
            }
        }
        if !lacing.isEmpty { flush(nextContinues: false) }
        return pages
    }

    /// CRC-32 of RFC 3533 s6: polynomial 0x04C11DB7, initial value 0, no
    /// reflection, no final complement, over the page with its CRC field zero.
    static func crc(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int((crc >> 24) ^ UInt32(byte))]
        }
        return crc
    }

    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var r = UInt32(i) << 24
        for _ in 0..<8 { r = r & 0x8000_0000 != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1 }
        return r
    }
}
