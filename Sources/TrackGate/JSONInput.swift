import Foundation
import NuroRequest

/// Where a request or task answer comes from: a file, or an object given inline
/// (a batch manifest line may carry either).
public enum JSONSource: Sendable, Equatable {
    case file(String)
    /// `origin` names it in messages, e.g. `manifest.jsonl:12`.
    case inline(JSONValue, origin: String)

    /// The name messages use for this input.
    public var origin: String {
        switch self {
        case .file(let path): path
        case .inline(_, let origin): origin
        }
    }

    /// The parsed JSON, or the one-line error every command prints:
    /// "PATH: no such file", "PATH: not valid JSON: ...".
    public func read() -> Result<JSONValue, JSONInput.Failure> {
        switch self {
        case .file(let path): JSONInput.read(path)
        case .inline(let value, _): .success(value)
        }
    }
}

/// Reads a JSON input file (request, task answer).
public enum JSONInput {
    static func read(_ path: String) -> Result<JSONValue, Failure> {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            return .failure(Failure(path: path, reason: reason))
        }
        do {
            return .success(try JSONValue.parse(data))
        } catch {
            return .failure(Failure(path: path, reason: error.description))
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }
}
