import Foundation
import NuroRequest

/// Reads a JSON input file (request, task answer), with the one-line error
/// every command prints: "PATH: no such file", "PATH: not valid JSON: ...".
enum JSONInput {
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

    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }
}
