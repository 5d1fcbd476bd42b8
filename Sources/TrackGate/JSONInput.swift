import AudioIO
import Foundation
import RequestModel

/// Where a request or task answer comes from: a file, or an object given inline
/// (a batch manifest line may carry either).
public enum JSONSource: Sendable, Equatable {
    case file(String)
    /// `origin` names it in messages, e.g. `manifest.jsonl:12 request`;
    /// `warnings` are what reading the line noticed inside this object.
    case inline(JSONValue, origin: String, warnings: [JSONWarning] = [])

    /// The name messages use for this input.
    public var origin: String {
        switch self {
        case .file(let path): path
        case .inline(_, let origin, _): origin
        }
    }

    /// The parsed JSON, or the one-line error every command prints:
    /// "PATH: no such file", "PATH: unexpected end of file at line 12, column 3: ...".
    public func read() -> Result<JSONDocument, JSONInput.Failure> {
        switch self {
        case .file(let path): JSONInput.read(path)
        case .inline(let value, _, let warnings): .success(JSONDocument(value: value, warnings: warnings))
        }
    }
}

/// Reads a JSON input file (request, task answer) with `JSONParser`.
public enum JSONInput {
    /// The largest request or task answer read: 1 MiB. The longest request the
    /// Nuro reference allows is about 4 kB (2,000 characters of lyrics); a task
    /// answer a few kB more. A larger file is refused before it is read, which
    /// also bounds the memory one request can take (`JSONParser` explains how).
    public static let maximumBytes = 1 << 20

    static func read(_ path: String) -> Result<JSONDocument, Failure> {
        let data: [UInt8]
        do throws(AudioIOError) {
            data = try RegularFile.contents(of: path, limit: maximumBytes, expecting: "a JSON file")
        } catch where error.kind == .tooLarge {
            return .failure(Failure(path: path, kind: .json(.tooLarge),
                reason: "too large for a request or task answer (over 1 MiB; the longest the API takes is a few kB): "
                    + "is this the right file?"))
        } catch {
            return .failure(Failure(path: path, kind: .file(error.kind), reason: error.detail))
        }
        do throws(JSONReadError) {
            return .success(try JSONParser().parse(data))
        } catch {
            return .failure(Failure(path: path, kind: .json(error.kind), reason: error.message))
        }
    }

    /// Why a JSON input could not be read.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let kind: InputErrorKind
        /// The problem, without the path.
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }
}
