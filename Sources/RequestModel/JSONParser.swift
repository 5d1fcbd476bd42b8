/// A strict RFC 8259 JSON reader that says where and why a text is not JSON.
///
/// Requests come from people's archives: cut downloads, Latin-1 editors, HTML
/// error pages saved under a `.json` name, hand edits with a trailing comma.
/// Foundation's parser says "not valid JSON" (or gives a character index), takes
/// one of two duplicate keys silently and accepts trailing commas; this reader
/// reports the line and column, what was found and what was expected, where an
/// unclosed object or string was opened, and every key given twice.
///
/// What it accepts is RFC 8259 exactly, with two documented allowances:
/// a UTF-8 byte-order mark is skipped (§8.1 lets parsers ignore it), and UTF-16
/// text (with a byte-order mark, or told by its zero bytes as RFC 4627 §3 does)
/// is transcoded and read, with a warning. UTF-32 is refused.
///
/// Limits (each refused at once with its own `JSONReadError.Kind`):
/// - nesting deeper than `Limits.maximumDepth` (64) objects and lists: the
///   deepest request (a BGM v2.0 plan) nests 3 levels;
/// - a list of more than `Limits.maximumItems` (10,000) values: the longest list
///   any rule of the reference allows has 5 (genres, moods, instruments, themes),
///   and plans are tested up to 100 sections;
/// - a number beyond ±1.797e308 (the largest finite binary64 value).
/// Together with the caller's size limit these bound memory: a 1 MiB request
/// parses in well under 100 MiB.
///
/// When a key appears twice in one object the last value is used (as
/// ECMAScript's `JSON.parse` and Python's `json` do) and a warning names both places.
public struct JSONParser {
    public struct Limits: Sendable {
        /// Deepest nesting of objects and lists accepted.
        public var maximumDepth: Int
        /// Most values one list may hold.
        public var maximumItems: Int

        public init(maximumDepth: Int = 64, maximumItems: Int = 10_000) {
            self.maximumDepth = maximumDepth
            self.maximumItems = maximumItems
        }
    }

    /// How positions are told in messages.
    public enum Layout: Sendable {
        /// A file: "line 12, column 3"; its end is "end of file".
        case file
        /// One line of a JSON Lines file, named by the caller ("m.jsonl:4"):
        /// "column 3"; its end is "end of line". Byte offsets count from
        /// `lineOffset`, the line's first byte in the file (none when nil: a
        /// file transcoded before its lines were split). The line is UTF-8: the
        /// caller told the file's encoding (`utf8Text(_:)`).
        case line(lineOffset: Int?)

        var isLine: Bool { if case .line = self { true } else { false } }
        var hasByteOffsets: Bool { if case .line(nil) = self { false } else { true } }
    }

    public var limits: Limits
    public var layout: Layout

    public init(limits: Limits = Limits(), layout: Layout = .file) {
        self.limits = limits
        self.layout = layout
    }

    /// The most duplicate-key warnings listed one by one; more are counted in one warning.
    static let maximumListedWarnings = 20

    /// Parses one JSON value filling the whole text.
    ///
    /// - Throws: `JSONReadError` naming the first problem and its position.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONReadError) -> JSONDocument {
        // A manifest line is UTF-8 already: the file's encoding was told before it was split.
        let (text, encodingWarning) = layout.isLine ? (Array(bytes), nil) : try Self.utf8Text(Array(bytes))
        // Offsets count the file's bytes, which transcoded text no longer has.
        let offsetsAreBytes = encodingWarning == nil && layout.hasByteOffsets
        let warnings = encodingWarning.map { [JSONWarning(path: "", at: nil, $0)] } ?? []
        let result: Result<JSONDocument, JSONReadError> = text.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer, limits: limits, layout: layout, offsetsAreBytes: offsetsAreBytes)
            do throws(JSONReadError) {
                let value = try reader.document()
                return .success(JSONDocument(value: value, warnings: warnings + reader.warnings()))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

extension JSONParser {
    /// The UTF-8 text of `bytes`, transcoded when they are UTF-16 (told as
    /// `parse` tells it), with the warning `parse` would give; for readers that
    /// split a text before parsing its parts (a JSON Lines manifest).
    ///
    /// - Throws: `JSONReadError` (`.encoding`) for UTF-32 or broken UTF-16.
    public static func utf8Text(_ bytes: [UInt8]) throws(JSONReadError) -> (text: [UInt8], warning: String?) {
        switch try TextEncoding.detect(bytes) {
        case .utf8:
            return (bytes, nil)
        case .utf16(let bigEndian):
            return (try TextEncoding.utf16ToUTF8(bytes, bigEndian: bigEndian),
                    "the file is UTF-16 (\(bigEndian ? "big" : "little")-endian) text: read as such, but JSON files "
                        + "should be UTF-8 (RFC 8259 section 8.1); save it as UTF-8")
        }
    }
}

/// The text encodings a JSON file may arrive in.
enum TextEncoding {
    case utf8
    case utf16(bigEndian: Bool)

    /// Tells the encoding by byte-order mark or by the zero bytes of ASCII text.
    static func detect(_ b: [UInt8]) throws(JSONReadError) -> TextEncoding {
        if b.count >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0)
                            || (b[0] == 0 && b[1] == 0 && (b[2] == 0xFE || b[3] != 0))
                            || (b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b.count % 4 == 0)) {
            throw JSONReadError(.encoding, at: nil, "UTF-32 text: JSON files are UTF-8 (RFC 8259 section 8.1); save it as UTF-8")
        }
        guard b.count >= 2 else { return .utf8 }
        if b[0] == 0xFF && b[1] == 0xFE { return .utf16(bigEndian: false) }
        if b[0] == 0xFE && b[1] == 0xFF { return .utf16(bigEndian: true) }
        if b[0] == 0 && b[1] != 0 { return .utf16(bigEndian: true) }
        if b[0] != 0 && b[1] == 0 && (b.count < 4 || b[2] != 0 || b[3] != 0) { return .utf16(bigEndian: false) }
        return .utf8
    }

    static func utf16ToUTF8(_ b: [UInt8], bigEndian: Bool) throws(JSONReadError) -> [UInt8] {
        guard b.count % 2 == 0 else {
            throw JSONReadError(.encoding, at: nil, "UTF-16 text of an odd number of bytes (\(b.count)): the file is cut or not UTF-16")
        }
        var units: [UInt16] = []
        units.reserveCapacity(b.count / 2)
        var i = 0
        while i < b.count {
            units.append(bigEndian ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : UInt16(b[i + 1]) << 8 | UInt16(b[i]))
            i += 2
        }
        var index = 0
        if units.first == 0xFEFF {
            units.removeFirst()
            index = 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count)
        for scalar in UTF16ScalarIterator(units) {
            guard let scalar else {
                throw JSONReadError(.encoding, at: nil,
                    "invalid UTF-16 (an unpaired surrogate) near byte offset \(index * 2): the file is damaged or not UTF-16")
            }
            index += scalar.utf16.count
            UTF8.encode(scalar) { out.append($0) }
        }
        return out
    }

    /// Unicode scalars of UTF-16 code units; nil for an unpaired surrogate.
    struct UTF16ScalarIterator: Sequence, IteratorProtocol {
        var iterator: IndexingIterator<[UInt16]>
        var decoder = UTF16()
        init(_ units: [UInt16]) { iterator = units.makeIterator() }
        mutating func next() -> Unicode.Scalar?? {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): return .some(s)
            case .emptyInput: return nil
            case .error: return .some(nil)
            }
        }
    }
}

/// The recursive-descent reader over one UTF-8 buffer. Depth is bounded by
/// `Limits.maximumDepth`, so recursion is safe.
private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONParser.Limits
    let layout: JSONParser.Layout
    let offsetsAreBytes: Bool
    var pos = 0
    /// Line of `pos` (1-based) and the offset where that line starts.
    var line = 1
    var lineStart = 0
    /// The JSON path of the value being read, for messages.
    var path: [PathComponent] = []
    /// The objects and lists opened and not yet closed, innermost last, with
    /// how much of `path` names each.
    var openContainers: [(what: String, mark: Mark, pathCount: Int)] = []
    var duplicates: [JSONWarning] = []
    var duplicateCount = 0

    enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// A place noted before it is needed in a message (where a container opened).
    struct Mark {
        let offset: Int
        let line: Int
        let lineStart: Int
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, limits: JSONParser.Limits, layout: JSONParser.Layout, offsetsAreBytes: Bool) {
        self.bytes = bytes
        self.limits = limits
        self.layout = layout
        self.offsetsAreBytes = offsetsAreBytes
    }

    func warnings() -> [JSONWarning] {
        guard duplicateCount > duplicates.count else { return duplicates }
        return duplicates + [JSONWarning(path: "", at: nil,
            "\(duplicateCount - duplicates.count) more keys appear twice (the first \(duplicates.count) are listed)")]
    }

    // MARK: Document

    mutating func document() throws(JSONReadError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
        try validateUTF8()
        guard !bytes.isEmpty else {
            throw JSONReadError(.notJSON, at: nil, "empty \(unitName) (0 bytes): no JSON in it")
        }
        skipWhitespace()
        guard pos < bytes.count else {
            throw JSONReadError(.notJSON, at: position(), "no JSON value: the \(unitName) holds only white space")
        }
        if bytes[pos] == UInt8(ascii: "<") {
            throw JSONReadError(.notJSON, at: position(),
                "'<' at \(where_()): this is HTML or XML, not JSON (an error page saved in place of the file?)")
        }
        let value = try value(depth: 1)
        skipWhitespace()
        if pos < bytes.count {
            let second = bytes[pos] == UInt8(ascii: "{") || bytes[pos] == UInt8(ascii: "[")
            let hint = !second ? ": the JSON value ended before it"
                : unitName == "line" ? ": a second JSON value (a manifest line holds one object; put each on its own line)"
                : ": a second JSON value (a file holds one; a JSON Lines manifest? trackgate batch reads those)"
            throw JSONReadError(.notJSON, at: position(), "unexpected \(found()) at \(where_()) after the JSON value\(hint)")
        }
        return value
    }

    /// Finds the first byte that is not UTF-8, so text in any other encoding is
    /// named as such rather than met as an unexpected character.
    mutating func validateUTF8() throws(JSONReadError) {
        var i = pos
        var sawMultibyte = false
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80
            case 0xE0...0xEF: length = 3; minimum = 0x800
            case 0xF0...0xF4: length = 4; minimum = 0x10000
            default: length = 0; minimum = 0
            }
            var valid = length > 0 && i + length <= n
            if valid {
                var scalar = UInt32(b) & (0xFF >> (length + 1))
                for k in 1..<length {
                    let c = bytes[i + k]
                    if c & 0xC0 != 0x80 { valid = false; break }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
                if valid && (scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar)) { valid = false }
            }
            guard valid else {
                let here = JSONPosition(line: line, column: column(of: i, lineStart: lineStart), offset: offsetValue(i))
                let latin1 = Character(Unicode.Scalar(b))
                let guess = sawMultibyte
                    ? "the file is damaged, or mixes encodings; save it as UTF-8"
                    : (0x80...0x9F).contains(b)
                        ? "the file looks like Windows-1252 text\(Self.windows1252(b).map { " ('\($0)' in Windows-1252)" } ?? ""): save it as UTF-8"
                        : "the file looks like Latin-1 text ('\(latin1)' in Latin-1): save it as UTF-8"
                let at = offsetsAreBytes ? "byte offset \(offsetValue(i) ?? i), \(placeText(here))" : placeText(here)
                throw JSONReadError(.encoding, at: here,
                    "invalid UTF-8 byte 0x\(String(b, radix: 16, uppercase: true)) at \(at): \(guess)")
            }
            sawMultibyte = true
            i += length
        }
        line = 1
        lineStart = pos
    }

    /// The character a byte 0x80-0x9F stands for in Windows-1252, where it has one.
    static func windows1252(_ byte: UInt8) -> String? {
        let table: [UInt8: String] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
            0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
            0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        return table[byte]
    }

    // MARK: Values

    mutating func value(depth: Int) throws(JSONReadError) -> JSONValue {
        guard pos < bytes.count else { throw endError(expecting: "a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return try word()
        default:
            throw unexpected(expecting: "a value (an object, list, string, number, true, false or null)",
                             hint: valueHint(bytes[pos]))
        }
    }

    func valueHint(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "'"): "JSON strings take double quotes (\")"
        case UInt8(ascii: "/"), UInt8(ascii: "#"): "JSON has no comments"
        case UInt8(ascii: "+"): "a JSON number cannot start with '+'"
        case UInt8(ascii: "."): "a JSON number needs a digit before the '.'"
        case UInt8(ascii: "}"), UInt8(ascii: "]"): "a value is missing"
        case UInt8(ascii: ","): "a value is missing between two commas"
        default: nil
        }
    }

    mutating func object(depth: Int) throws(JSONReadError) -> JSONValue {
        _ = try enter(depth: depth, what: "object")
        defer { openContainers.removeLast() }
        var members: [String: JSONValue] = [:]
        var keyPlaces: [String: Mark] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { pos += 1; return .object(members) }
        while true {
            guard pos < bytes.count else { throw endError(expecting: nil) }
            guard bytes[pos] == UInt8(ascii: "\"") else {
                if bytes[pos] == UInt8(ascii: "}") {
                    throw unexpected(expecting: "a key", hint: "a comma before '}': JSON allows no trailing comma")
                }
                let hint = bytes[pos] == UInt8(ascii: "'") ? "keys take double quotes (\")"
                    : isWordByte(bytes[pos]) ? "keys take double quotes (\"key\")"
                    : valueHint(bytes[pos])
                throw unexpected(expecting: "a key in double quotes", hint: hint)
            }
            let keyMark = mark()
            let key = try string()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                guard pos < bytes.count else { throw endError(expecting: nil) }
                throw unexpected(expecting: "':' after the key \"\(key)\"", hint: nil)
            }
            pos += 1
            skipWhitespace()
            path.append(.key(key))
            let member = try value(depth: depth + 1)
            if let first = keyPlaces[key] {
                noteDuplicate(key: key, first: first, again: keyMark)
            } else {
                keyPlaces[key] = keyMark
            }
            path.removeLast()
            members[key] = member
            let closed = try endOfMember(closing: UInt8(ascii: "}"), expecting: "',' or '}' after the value of \"\(key)\"") {
                $0 == UInt8(ascii: "\"") ? "a comma is missing" : nil
            }
            if closed { return .object(members) }
        }
    }

    /// After a member or an item: a comma (another follows, white space
    /// skipped) or the closing bracket (consumed).
    ///
    /// - Returns: whether the object or list closed.
    mutating func endOfMember(closing: UInt8, expecting: String,
                              hint: (UInt8) -> String?) throws(JSONReadError) -> Bool {
        skipWhitespace()
        guard pos < bytes.count else { throw endError(expecting: nil) }
        switch bytes[pos] {
        case UInt8(ascii: ","):
            pos += 1
            skipWhitespace()
            return false
        case closing:
            pos += 1
            return true
        default:
            throw unexpected(expecting: expecting, hint: hint(bytes[pos]))
        }
    }

    mutating func array(depth: Int) throws(JSONReadError) -> JSONValue {
        let open = try enter(depth: depth, what: "list")
        defer { openContainers.removeLast() }
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { pos += 1; return .array(items) }
        while true {
            guard pos < bytes.count else { throw endError(expecting: nil) }
            if bytes[pos] == UInt8(ascii: "]") {
                throw unexpected(expecting: "a value", hint: "a comma before ']': JSON allows no trailing comma")
            }
            guard items.count < limits.maximumItems else {
                throw JSONReadError(.tooLarge, at: position(at: open),
                    "the list \(pathName.isEmpty ? "" : "\(pathName) ")opened at \(placeText(position(at: open))) holds more than "
                        + "\(limits.maximumItems) values: no field of a request or task answer takes that many")
            }
            path.append(.index(items.count))
            items.append(try value(depth: depth + 1))
            path.removeLast()
            let closed = try endOfMember(closing: UInt8(ascii: "]"), expecting: "',' or ']' in the list") { byte in
                byte == UInt8(ascii: "}") ? "the list is closed with '}' instead of ']'"
                    : byte == UInt8(ascii: "\"") || Self.isWordByte(byte) || byte == UInt8(ascii: "{") ? "a comma is missing" : nil
            }
            if closed { return .array(items) }
        }
    }

    /// Opens an object or list at `pos`, checking the nesting limit.
    mutating func enter(depth: Int, what: String) throws(JSONReadError) -> Mark {
        guard depth <= limits.maximumDepth else {
            throw JSONReadError(.tooDeep, at: position(),
                "nesting deeper than \(limits.maximumDepth) levels at \(where_()): no request or task answer nests that deep")
        }
        let open = mark()
        openContainers.append((what, open, path.count))
        pos += 1
        return open
    }

    mutating func string() throws(JSONReadError) -> String {
        let open = mark()
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            pos += 1
        }
        var out = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw JSONReadError(.notJSON, at: position(),
                    "a line break inside the string opened at \(placeText(position(at: open))): close the string with \" "
                        + "or write the break as \\n")
            case 0..<0x20:
                let code = Self.hex4(UInt32(b))
                throw JSONReadError(.notJSON, at: position(),
                    "control character U+\(code) inside a string at \(where_()): write it as \(b == 0x09 ? "\\t" : "\\u\(code)")")
            default:
                out.append(b)
                pos += 1
            }
        }
        throw endError(expecting: nil, openString: open)
    }

    mutating func escape(into out: inout [UInt8]) throws(JSONReadError) {
        let escapeMark = mark()
        pos += 1
        guard pos < bytes.count else { throw endError(expecting: "an escape after '\\'") }
        let c = bytes[pos]
        pos += 1
        let simple: UInt8? = switch c {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple { out.append(simple); return }
        guard c == UInt8(ascii: "u") else {
            pos -= 2
            throw JSONReadError(.notJSON, at: position(),
                "invalid escape '\\\(describeByte(c))' at \(where_()): JSON's escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                    + "and \\u followed by four hex digits")
        }
        let unit = try hex4(escapeMark)
        var scalarValue = UInt32(unit)
        if (0xD800...0xDBFF).contains(unit) {
            if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                let lowMark = mark()
                pos += 2
                let low = try hex4(lowMark)
                guard (0xDC00...0xDFFF).contains(low) else { throw surrogate(unit, escapeMark) }
                scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
            } else {
                throw surrogate(unit, escapeMark)
            }
        } else if (0xDC00...0xDFFF).contains(unit) {
            throw surrogate(unit, escapeMark)
        }
        out.append(contentsOf: Array(String(Unicode.Scalar(scalarValue)!).utf8))
    }

    mutating func hex4(_ escapeMark: Mark) throws(JSONReadError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard pos < bytes.count else { throw endError(expecting: "four hex digits after \\u") }
            let b = bytes[pos]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default:
                throw JSONReadError(.notJSON, at: position(at: escapeMark),
                    "invalid \\u escape at \(placeText(position(at: escapeMark))): \\u takes four hex digits (0-9, A-F)")
            }
            value = value << 4 | UInt16(digit)
            pos += 1
        }
        return value
    }

    func surrogate(_ unit: UInt16, _ at: Mark) -> JSONReadError {
        JSONReadError(.notJSON, at: position(at: at),
            "unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)) at \(placeText(position(at: at))): "
                + "a character beyond U+FFFF is written as two escapes, \\uD800-\\uDBFF then \\uDC00-\\uDFFF")
    }

    mutating func number() throws(JSONReadError) -> Double {
        let startMark = mark()
        let start = pos
        if peek(UInt8(ascii: "-")) { pos += 1 }
        guard pos < bytes.count, isDigit(bytes[pos]) else {
            if pos >= bytes.count { throw endError(expecting: "a digit after '-'") }
            throw unexpected(expecting: "a digit after '-'", hint: nil)
        }
        if bytes[pos] == UInt8(ascii: "0"), pos + 1 < bytes.count, isDigit(bytes[pos + 1]) {
            throw JSONReadError(.notJSON, at: position(at: startMark),
                "number with a leading zero at \(placeText(position(at: startMark))): JSON numbers have none (write 7, not 07)")
        }
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        if peek(UInt8(ascii: ".")) {
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                if pos >= bytes.count { throw endError(expecting: "a digit after '.'") }
                throw unexpected(expecting: "a digit after '.'", hint: nil)
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            pos += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                if pos >= bytes.count { throw endError(expecting: "digits of the exponent") }
                throw unexpected(expecting: "digits of the exponent", hint: nil)
            }
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            throw JSONReadError(.numberRange, at: position(at: startMark),
                "number \(shown) at \(placeText(position(at: startMark))) is out of range: "
                    + "a number's size must stay under 1.7976931348623157e308, the largest binary64 value")
        }
        return value
    }

    /// `true`, `false`, `null`, or a word that is none of them.
    mutating func word() throws(JSONReadError) -> JSONValue {
        let startMark = mark()
        let start = pos
        while pos < bytes.count, isWordByte(bytes[pos]) { pos += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            let shown = text.count > 40 ? String(text.prefix(37)) + "..." : text
            let hint = switch text.lowercased() {
            case "true", "false", "null": "JSON's literals are lower case: \(text.lowercased())"
            case "nan", "infinity": "NaN and Infinity are not JSON numbers"
            case "none": "JSON writes null, not None"
            case "undefined": "JSON has no undefined: leave the key out or write null"
            default: "text takes double quotes (\"\(shown)\")"
            }
            throw JSONReadError(.notJSON, at: position(at: startMark),
                "unexpected word '\(shown)' at \(placeText(position(at: startMark))): \(hint)")
        }
    }

    // MARK: Scanning

    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A:
                pos += 1
                line += 1
                lineStart = pos
            default: return
            }
        }
    }

    func peek(_ byte: UInt8) -> Bool { pos < bytes.count && bytes[pos] == byte }
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    func isWordByte(_ b: UInt8) -> Bool { Self.isWordByte(b) }
    /// A letter, digit or `_`: what an unquoted word (`True`, `None`, `rock`) is made of.
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }

    // MARK: Positions and messages

    var unitName: String {
        switch layout {
        case .file: "file"
        case .line: "line"
        }
    }

    func mark() -> Mark { Mark(offset: pos, line: line, lineStart: lineStart) }

    func column(of offset: Int, lineStart: Int) -> Int {
        var count = 1
        var i = lineStart
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    func offsetValue(_ offset: Int) -> Int? {
        guard offsetsAreBytes else { return nil }
        if case .line(let lineOffset?) = layout { return lineOffset + offset }
        return offset
    }

    func position(at mark: Mark? = nil) -> JSONPosition {
        let m = mark ?? self.mark()
        return JSONPosition(line: m.line, column: column(of: m.offset, lineStart: m.lineStart), offset: offsetValue(m.offset))
    }

    func placeText(_ p: JSONPosition) -> String {
        switch layout {
        case .file: "line \(p.line), column \(p.column)"
        case .line: "column \(p.column)"
        }
    }

    func where_() -> String { placeText(position()) }

    var pathName: String { Self.pathName(path) }

    static func pathName(_ path: [PathComponent]) -> String {
        var s = ""
        for component in path {
            switch component {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// A code point in upper-case hex, at least four digits (`00E9`, `1D11E`), as U+ notation writes it.
    static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    func describeByte(_ b: UInt8) -> String {
        switch b {
        case 0x21...0x7E: String(UnicodeScalar(b))
        default: "0x\(String(b, radix: 16, uppercase: true))"
        }
    }

    /// The character at `pos`, for messages.
    func found() -> String {
        guard pos < bytes.count else { return "end of \(unitName)" }
        let b = bytes[pos]
        switch b {
        case UInt8(ascii: "'"): return "single quote (')"
        case 0x21...0x7E: return "'\(String(UnicodeScalar(b)))'"
        case 0x20: return "a space"
        case 0..<0x20, 0x7F:
            return "control character U+\(Self.hex4(UInt32(b)))"
        default:
            var end = pos + 1
            while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            let character = String(decoding: UnsafeBufferPointer(rebasing: bytes[pos..<end]), as: UTF8.self)
            let scalar = character.unicodeScalars.first.map { Self.hex4($0.value) } ?? "?"
            return "'\(character)' (U+\(scalar))"
        }
    }

    func unexpected(expecting: String, hint: String?) -> JSONReadError {
        guard pos < bytes.count else { return endError(expecting: expecting) }
        return JSONReadError(.notJSON, at: position(),
            "unexpected \(found()) at \(where_()): expected \(expecting)\(hint.map { " (\($0))" } ?? "")")
    }

    /// The end came too soon: what was expected there, and which string,
    /// object or list is left open.
    func endError(expecting: String?, openString: Mark? = nil) -> JSONReadError {
        var open = ""
        if let openString {
            open = "the string opened at \(placeText(position(at: openString))) is not closed"
        } else if let innermost = openContainers.last {
            let name = Self.pathName(Array(path.prefix(innermost.pathCount)))
            open = "the \(innermost.what)\(name.isEmpty ? "" : " \(name)") opened at "
                + "\(placeText(position(at: innermost.mark))) is not closed"
        }
        let parts = [expecting.map { "expected \($0)" }, open.isEmpty ? nil : open].compactMap { $0 }
        return JSONReadError(.notJSON, at: position(),
            "unexpected end of \(unitName) at \(where_()): " + parts.joined(separator: "; ")
                + (open.isEmpty ? "" : " (is the \(unitName) cut short?)"))
    }

    mutating func noteDuplicate(key: String, first: Mark, again: Mark) {
        duplicateCount += 1
        guard duplicates.count < JSONParser.maximumListedWarnings else { return }
        let place = position(at: again)
        duplicates.append(JSONWarning(path: pathName, at: place,
            "the key \"\(key)\" appears twice in one object (at \(placeText(position(at: first))) and \(placeText(place))): "
                + "the last value is used"))
    }
}
