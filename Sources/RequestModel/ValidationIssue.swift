/// One problem found in a request, located by its JSON path.
public struct ValidationIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// The API would reject the request, or the request cannot describe a track.
        case error
        /// Accepted, but probably not what was meant (an unknown field, a duplicate tag).
        case warning
    }

    /// Path of the offending value: `duration`, `genre[2]`, `segments[1].name`;
    /// empty for the request as a whole.
    public let path: String
    public let message: String
    /// The values the field accepts, for list fields; nil otherwise.
    public let allowed: [String]?
    public let severity: Severity

    public init(_ severity: Severity, path: String, _ message: String, allowed: [String]? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.allowed = allowed
    }

    public var description: String {
        "\(severity): \(path.isEmpty ? "request" : path): \(message)"
    }
}
