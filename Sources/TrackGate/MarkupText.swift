/// Text made safe for the XML and HTML TrackGate writes (JUnit reports, SVG
/// pictures, the batch page): markup characters escaped, line breaks and tabs
/// kept as character references (they survive inside attributes too), and the
/// control characters XML 1.0 cannot carry at all (a file name may hold them)
/// dropped.
enum MarkupText {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
