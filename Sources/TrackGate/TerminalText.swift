import Foundation

/// Text for a terminal: what a request, a tag or a file name carries is shown,
/// never obeyed.
///
/// Human output quotes text from outside (a request's description or genre, a
/// file's tags, a file name). Control characters in it would act on the
/// terminal: ESC sequences clear or rewrite the screen, set the title or
/// change colours, BEL rings, CR overwrites a line. Every such character is
/// printed as an escape (`\e`, `\a`, `\r`, `\x7F`, `\u{9B}`), and so are the
/// bidirectional overrides that make text read in another order than it is
/// stored (U+202A-U+202E, U+2066-U+2069, the "Trojan Source" characters).
/// JSON output needs none of this: its encoder escapes every control character.
///
/// Two levels: `field(_:)` for one value in a line (a file name, a message
/// quoting a request), where a line break or tab from outside would fake a
/// line of the report, is escaped too (`\n`, `\t`, and U+2028/U+2029);
/// `escaped(_:)` for whole text laid out by TrackGate, whose own line breaks
/// and tabs stay. Renderers use the first on every value, printing the second
/// on everything.
public enum TerminalText {
    /// Text laid out by TrackGate: control characters escaped, its line breaks and tabs kept.
    public static func escaped(_ text: String) -> String {
        escape(text, keepLayout: true)
    }

    /// A word for a command line people copy into a POSIX shell: as it is when
    /// made of characters no shell treats specially, else in single quotes (a
    /// quote inside written `'\''`). Control characters are still escaped on
    /// printing (`escaped(_:)`).
    public static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "@%_+=:,./-".unicodeScalars.contains($0))
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// One value inside a line: every control character escaped, line breaks and tabs too.
    public static func field(_ text: String) -> String {
        escape(text, keepLayout: false)
    }

    private static func escape(_ text: String, keepLayout: Bool) -> String {
        let needsEscape = { (s: Unicode.Scalar) in Self.needsEscape(s, keepLayout: keepLayout) }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { out.append(scalar); continue }
            let shown: String = switch scalar.value {
            case 0x1B: "\\e"
            case 0x07: "\\a"
            case 0x08: "\\b"
            case 0x0D: "\\r"
            case 0x0B: "\\v"
            case 0x0C: "\\f"
            case 0x0A: "\\n"
            case 0x09: "\\t"
            case 0..<0x80: "\\x" + hex(scalar.value, digits: 2)
            default: "\\u{" + hex(scalar.value, digits: 2) + "}"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepLayout: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepLayout
        case 0..<0x20, 0x7F, 0x80...0x9F: true
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
