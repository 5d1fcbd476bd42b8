import Foundation

/// Track ids name output files (`OUT/ID.wav`, `OUT/ID.json`), so an id must be
/// one plain file name: nothing that could climb out of the output folder,
/// hide, or confuse a shell script.
public enum TrackID {
    /// The id of the track in `path`: its file name without the last extension
    /// (`take.1.wav` is `take.1`, `song.flac` is `song`). One rule for `check`,
    /// `process` and `batch`, so a track's report, picture and outputs agree.
    public static func of(audioPath path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? name : stem
    }

    /// Longest id, in UTF-8 bytes: with the longest output extension (`.flac`,
    /// `.json`) it makes a name of 255 bytes, the file-name limit of common
    /// file systems (temporaries of such long names are shortened, see
    /// `AtomicFile.temporaryStem(of:)`).
    public static let maximumBytes = 250

    /// Why `id` cannot name an output, or nil when it can.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "the id is empty" }
        if id == "." || id == ".." { return "the id \"\(id)\" names a folder" }
        if id.contains("/") || id.contains("\\") {
            return "the id \"\(id)\" contains a path separator; ids name files inside --out and cannot point elsewhere"
        }
        if id.hasPrefix(".") { return "the id \"\(id)\" starts with '.', which would make hidden files" }
        if id.hasPrefix("-") { return "the id \"\(id)\" starts with '-', which command lines take for an option" }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "the id \"\(id)\" contains control characters"
        }
        if id.utf8.count > maximumBytes { return "the id is longer than \(maximumBytes) bytes" }
        return nil
    }
}
