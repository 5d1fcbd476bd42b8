import AudioIO
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
    /// The largest request or task answer read: 16 MiB, thousands of times the
    /// longest the reference allows (2,000 characters of lyrics).
    public static let maximumBytes = 16 << 20

    static func read(_ path: String) -> Result<JSONValue, Failure> {
        let data: [UInt8]
        do throws(AudioIOError) {
            data = try RegularFile.contents(of: path, limit: maximumBytes)
        } catch {
            return .failure(Failure(path: path, reason: error.detail))
        }
        do {
            return .success(try JSONValue.parse(Data(data)))
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
