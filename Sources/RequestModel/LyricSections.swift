import Foundation

/// The section tags of lyrics, as Sonic and Producer read them: a line that is
/// a bracketed name (`[Verse]`, `[Chorus]`, `[Verse 2]`, `[Pre-Chorus]`).
///
/// They give the order of sections a song should have, not their times.
public enum LyricSections {
    /// The tags' names in order, as written without the brackets.
    public static func names(in lyrics: String) -> [String] {
        lyrics.split(whereSeparator: \.isNewline).compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.count > 2, t.hasPrefix("["), t.hasSuffix("]") else { return nil }
            let name = t.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 40, !name.contains("[") else { return nil }
            return name
        }
    }

    /// The first line that is not a section tag, trimmed.
    public static func firstLine(of lyrics: String) -> String? {
        lyrics.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !($0.hasPrefix("[") && $0.hasSuffix("]")) }
    }
}
