/// An audio file could not be read or written.
///
/// Every error names the file, so a batch over thousands of tracks can say which
/// one failed and why in a single line (`description`).
public struct AudioIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarse enough for a script to branch on.
    public enum Kind: String, Sendable, Codable {
        /// No file at the path.
        case missing
        /// The path exists but cannot be opened for reading (a folder, no permission).
        case unreadable
        /// The file has zero bytes: typically an interrupted download.
        case empty
        /// The bytes are not an audio format libsndfile knows (text, HTML, JSON, noise).
        case notAudio = "not_audio"
        /// The file ends before the audio its header announces.
        case truncated
        /// The file is larger than its kind may be (a request over 1 MiB): refused unread.
        case tooLarge = "too_large"
        /// The header is inconsistent or damaged.
        case corrupt
        /// A recognised container with an encoding this build cannot decode or encode.
        case unsupported
        /// Reading failed after a successful open.
        case readFailed = "read_failed"
        /// Creating, writing or renaming an output failed.
        case writeFailed = "write_failed"
        /// A sample-rate converter reported an error while converting.
        case conversionFailed = "conversion_failed"
        /// The input was written to while it was being processed (a download
        /// still running): what was judged may not be what would be delivered.
        case changed = "input_changed"
        /// The caller asked for something impossible (bad channel count, zero rate).
        case invalidArgument = "invalid_argument"
    }

    public let kind: Kind
    /// The file the error is about, as the caller named it.
    public let path: String
    /// A sentence for people: what is wrong with this file.
    public let detail: String

    public init(_ kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// One line, `PATH: detail`, suitable for logs and for `trackgate` error output.
    public var description: String { "\(path): \(detail)" }
}
