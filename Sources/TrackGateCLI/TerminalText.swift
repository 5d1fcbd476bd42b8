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
/// Line breaks and tabs, which TrackGate's own layout uses, stay. JSON output
/// needs none of this: its encoder escapes every control character.
enum TerminalText {
    static func escaped(_ text: String) -> String {
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
            case 0..<0x80: "\\x" + hex(scalar.value, digits: 2)
            default: "\\u{" + hex(scalar.value, digits: 2) + "}"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0..<0x20, 0x7F, 0x80...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}

/// Prints human output to standard output, escaped for the terminal.
func printText(_ text: String) {
    print(TerminalText.escaped(text))
}
