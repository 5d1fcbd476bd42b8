import Foundation
import RequestModel

/// Validates a request written as a Swift dictionary literal.
func check(_ object: [String: Any]) throws -> RequestValidation {
    let data = try JSONSerialization.data(withJSONObject: object)
    return try RequestValidator().validate(data: data)
}

/// The error paths of a validation, in order.
func errorPaths(_ v: RequestValidation) -> [String] { v.errors.map(\.path) }

/// A lyric text of exactly `count` code points.
func lyrics(_ count: Int, unit: String = "a") -> String { String(repeating: unit, count: count) }

var validVocal: [String: Any] { [
    "type": "vocal", "lyrics": lyrics(320), "genre": "Pop", "mood": "Happy",
    "gender": "Female", "timbre": "Warm", "duration": 120,
] }

var validV1: [String: Any] { [
    "type": "bgm", "version": "v1.0", "description": "Upbeat corporate background music", "duration": 45,
    "genre": ["corporate", "upbeat"], "mood": ["positive"], "instrument": ["piano"], "theme": ["motivational"],
] }

func v2(_ segments: [(String, Any)]) -> [String: Any] {
    ["type": "bgm", "version": "v2.0", "description": "Cinematic trailer",
     "segments": segments.map { ["name": $0.0, "duration": $0.1] }]
}

func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
    var copy = base
    for (key, value) in changes { copy[key] = value }
    return copy
}

/// The repository's `samples/requests` folder.
let samplesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples/requests")
