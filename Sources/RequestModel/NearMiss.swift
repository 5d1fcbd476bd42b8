import Foundation

/// The value a misspelt one was probably meant to be, for "did you mean" hints.
///
/// A near miss is the same value in other case, the same letters and digits
/// with other punctuation (`sonic-v4.5` for `sonic-v4-5`, `Hip Hop Rap` for
/// `Hip Hop/Rap`), or the one allowed value of at least five characters
/// nearest it within two edits (Levenshtein distance: a letter added, dropped
/// or changed; `Pop Rok`, `custom_mod`); a tie gives no hint. Shorter values are left out: two edits turn
/// `f` or `sad` into too many other words.
enum NearMiss {
    static func of(_ given: String, in allowed: [String]) -> String? {
        if let same = sameWords(given, in: allowed) { return same }
        let folded = given.trimmingCharacters(in: .whitespaces).lowercased()
        guard folded.count >= 4 else { return nil }
        let scored = allowed.filter { $0.count >= 5 }.map { ($0, distance(folded, $0.lowercased(), limit: 2)) }
            .filter { $0.1 <= 2 }
        guard let best = scored.map(\.1).min() else { return nil }
        let closest = scored.filter { $0.1 == best }
        return closest.count == 1 ? closest[0].0 : nil
    }

    /// The allowed value `given` spells in other case or punctuation.
    static func sameWords(_ given: String, in allowed: [String]) -> String? {
        let folded = given.trimmingCharacters(in: .whitespaces).lowercased()
        if let same = allowed.first(where: { $0.lowercased() == folded }) { return same }
        let letters = skeleton(given)
        return letters.isEmpty ? nil : allowed.first { skeleton($0) == letters }
    }

    /// Lower-case letters and digits only.
    static func skeleton(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// Levenshtein distance of two strings in characters, or `limit + 1` once it
    /// is known to exceed `limit` (lengths alone, or a row without a small value).
    static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a), y = Array(b)
        guard abs(x.count - y.count) <= limit else { return limit + 1 }
        guard !x.isEmpty, !y.isEmpty else { return max(x.count, y.count) }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var row = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            if row.min()! > limit { return limit + 1 }
            previous = row
        }
        return previous[y.count]
    }
}
