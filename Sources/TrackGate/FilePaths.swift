import Foundation

/// Whether two paths name one file or folder, as TrackGate asks before it
/// writes (an output must never be an input) and before it reads folders (one
/// named twice is read once).
public enum FilePaths {
    /// `path` as the file system resolves it: symbolic links followed, `.` and
    /// `..` and repeated slashes removed, relative to the current folder.
    public static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
