import Foundation

/// Checks a request against every rule of the Nuro API reference and, when it
/// passes, builds the typed `NuroRequest`.
///
/// All violations are collected, not just the first, so one run tells the user
/// everything to fix. The rules, by section of the reference:
/// - Create Vocal Song: `lyrics` 300-2000 characters, `genre`, `mood`, `timbre`
///   from their lists, `gender` exactly `Female` or `Male`, `duration` 30-240 s.
/// - Create BGM v1.0: `version` "v1.0" or absent, `description` required,
///   `duration` 1-60 s, `genre`/`mood`/`instrument`/`theme` at most 5 each from their lists.
/// - Create BGM v2.0: `description` under 200 characters; either `duration`
///   30-120 s or `segments` (names from the six types, each 5-120 s, a lone
///   segment at least 30 s, total 30-120 s), not both.
///
/// "Characters" are Unicode code points, as the API's own length checks count them.
/// Whole numbers may be written `120` or `120.0`; `"120"` (a string) is an error.
public struct RequestValidator {
    public init() {}

    /// Parses and validates request JSON.
    /// - Throws: `JSONSyntaxError` when the bytes are not JSON at all.
    public func validate(data: Data) throws(JSONSyntaxError) -> RequestValidation {
        validate(try JSONValue.parse(data))
    }

    public func validate(_ json: JSONValue) -> RequestValidation {
        var walker = Walker()
        let request = walker.request(json)
        let hasErrors = walker.issues.contains { $0.severity == .error }
        return RequestValidation(request: hasErrors ? nil : request, issues: walker.issues, json: json)
    }
}

/// The outcome of validating one request.
public struct RequestValidation: Sendable, Equatable {
    /// The typed request, present exactly when there are no errors.
    public let request: NuroRequest?
    /// Errors and warnings, in the order of the request's fields.
    public let issues: [ValidationIssue]
    /// The request as parsed, for reports that carry it along.
    public let json: JSONValue

    public var isValid: Bool { request != nil }
    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }
}

/// Walks the JSON once, recording issues as it goes.
private struct Walker {
    var issues: [ValidationIssue] = []

    mutating func error(_ path: String, _ message: String, allowed: [String]? = nil) {
        issues.append(ValidationIssue(.error, path: path, message, allowed: allowed))
    }

    mutating func warning(_ path: String, _ message: String) {
        issues.append(ValidationIssue(.warning, path: path, message))
    }

    mutating func request(_ json: JSONValue) -> NuroRequest? {
        guard case .object(let fields) = json else {
            error("", "a request must be a JSON object, found \(json.typeName)")
            return nil
        }
        guard let type = choice(fields, "type", from: ["vocal", "bgm"]) else { return nil }
        if type == "vocal" { return vocal(fields) }
        switch fields["version"] {
        case nil: return bgmV1(fields)
        case .string("v1.0"): return bgmV1(fields)
        case .string("v2.0"): return bgmV2(fields)
        case .string(let other):
            error("version", "unknown version \"\(other)\"", allowed: ["v1.0", "v2.0"])
        case let other?:
            error("version", "expected a string, found \(other.typeName)", allowed: ["v1.0", "v2.0"])
        }
        return nil
    }

    // MARK: Kinds

    mutating func vocal(_ f: [String: JSONValue]) -> NuroRequest? {
        let lyrics = text(f, "lyrics", length: 300...2000)
        let genre = choice(f, "genre", from: NuroVocabulary.vocalGenres)
        let mood = choice(f, "mood", from: NuroVocabulary.vocalMoods)
        let gender = choice(f, "gender", from: NuroVocabulary.genders)
        let timbre = choice(f, "timbre", from: NuroVocabulary.vocalTimbres)
        let duration = wholeNumber(f["duration"], at: "duration", in: 30...240, required: true)
        unknownFields(f, known: ["type", "lyrics", "genre", "mood", "gender", "timbre", "duration"], kind: "vocal")
        guard let lyrics, let genre, let mood, let gender, let timbre, let duration else { return nil }
        return .vocal(VocalRequest(lyrics: lyrics, genre: genre, mood: mood, gender: gender, timbre: timbre, duration: duration))
    }

    mutating func bgmV1(_ f: [String: JSONValue]) -> NuroRequest? {
        let description = text(f, "description", length: 1...Int.max)
        let duration = wholeNumber(f["duration"], at: "duration", in: 1...60, required: true)
        let genre = tagList(f, "genre", from: NuroVocabulary.bgmGenres)
        let mood = tagList(f, "mood", from: NuroVocabulary.bgmMoods)
        let instrument = tagList(f, "instrument", from: NuroVocabulary.bgmInstruments)
        let theme = tagList(f, "theme", from: NuroVocabulary.bgmThemes)
        if f["segments"] != nil {
            error("segments", "segments are a v2.0 feature: add \"version\": \"v2.0\"")
        }
        unknownFields(f, known: ["type", "version", "description", "duration", "genre", "mood", "instrument",
                                 "theme", "segments"], kind: "BGM v1.0")
        guard let description, let duration, let genre, let mood, let instrument, let theme else { return nil }
        return .bgmV1(BGMRequestV1(description: description, duration: duration, genre: genre, mood: mood,
                                   instrument: instrument, theme: theme))
    }

    mutating func bgmV2(_ f: [String: JSONValue]) -> NuroRequest? {
        let description = text(f, "description", length: 1...199, limitPhrase: "under 200 characters")
        var plan: BGMRequestV2.Plan?
        switch (f["duration"], f["segments"]) {
        case (nil, nil):
            error("", "a v2.0 request needs either \"duration\" or \"segments\"")
        case (_?, _?):
            error("duration", "give either \"duration\" or \"segments\", not both: the segments set the length")
        case (let duration?, nil):
            if let seconds = wholeNumber(duration, at: "duration", in: 30...120, required: true) { plan = .duration(seconds) }
        case (nil, let segments?):
            if let list = self.segments(segments) { plan = .segments(list) }
        }
        unknownFields(f, known: ["type", "version", "description", "duration", "segments"], kind: "BGM v2.0")
        guard let description, let plan else { return nil }
        return .bgmV2(BGMRequestV2(description: description, plan: plan))
    }

    mutating func segments(_ json: JSONValue) -> [Segment]? {
        guard case .array(let items) = json else {
            error("segments", "expected a list of {\"name\", \"duration\"} objects, found \(json.typeName)")
            return nil
        }
        guard !items.isEmpty else {
            error("segments", "the plan is empty: give at least one segment, or use \"duration\" instead")
            return nil
        }
        var result: [Segment] = []
        for (index, item) in items.enumerated() {
            let path = "segments[\(index)]"
            guard case .object(let f) = item else {
                error(path, "expected a {\"name\", \"duration\"} object, found \(item.typeName)")
                continue
            }
            let name = choice(f, "name", from: NuroVocabulary.segmentTypes, prefix: path + ".")
            let duration = wholeNumber(f["duration"], at: path + ".duration", in: 5...120, required: true)
            unknownFields(f, known: ["name", "duration"], kind: "segment", prefix: path + ".")
            if let name, let type = SegmentType(rawValue: name), let duration {
                result.append(Segment(name: type, duration: duration))
            }
        }
        guard result.count == items.count else { return nil }
        if result.count == 1, result[0].duration < 30 {
            error("segments[0].duration", "a lone segment must last at least 30 s, not \(result[0].duration) s")
            return nil
        }
        let total = result.reduce(0) { $0 + $1.duration }
        guard (30...120).contains(total) else {
            error("segments", "the segments add up to \(total) s; the total must be 30 to 120 s")
            return nil
        }
        return result
    }

    // MARK: Field rules

    /// A required string whose length in code points lies in `length`.
    mutating func text(_ f: [String: JSONValue], _ key: String, length: ClosedRange<Int>,
                       limitPhrase: String? = nil) -> String? {
        guard let value = f[key] else { error(key, "required field is missing"); return nil }
        guard case .string(let string) = value else { error(key, "expected a string, found \(value.typeName)"); return nil }
        let count = string.unicodeScalars.count
        if string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(key, "must not be empty")
            return nil
        }
        guard length.contains(count) else {
            let rule = limitPhrase ?? (length.upperBound == Int.max ? "at least \(length.lowerBound) characters"
                : "\(length.lowerBound) to \(length.upperBound) characters")
            error(key, "is \(count) characters long; it must be \(rule)")
            return nil
        }
        return string
    }

    /// A required string that must be one of `allowed`, spelled exactly.
    mutating func choice(_ f: [String: JSONValue], _ key: String, from allowed: [String], prefix: String = "") -> String? {
        let path = prefix + key
        guard let value = f[key] else { error(path, "required field is missing", allowed: allowed); return nil }
        return member(value, at: path, of: allowed)
    }

    mutating func member(_ value: JSONValue, at path: String, of allowed: [String]) -> String? {
        guard case .string(let string) = value else {
            error(path, "expected a string, found \(value.typeName)", allowed: allowed)
            return nil
        }
        if allowed.contains(string) { return string }
        let folded = string.trimmingCharacters(in: .whitespaces).lowercased()
        if let near = allowed.first(where: { $0.lowercased() == folded }) {
            error(path, "\"\(string)\" is not an accepted value; the API matches exact spelling: did you mean \"\(near)\"?", allowed: allowed)
        } else if let list = Self.bgmLists.first(where: { $0.values != allowed && $0.values.contains(string) }) {
            error(path, "\"\(string)\" is not an accepted value here; it is a BGM \(list.name)", allowed: allowed)
        } else {
            error(path, "\"\(string)\" is not an accepted value", allowed: allowed)
        }
        return nil
    }

    /// The four BGM tag lists, to tell a user who put a tag in the wrong one.
    static let bgmLists: [(name: String, values: [String])] = [
        ("genre", NuroVocabulary.bgmGenres), ("mood", NuroVocabulary.bgmMoods),
        ("instrument", NuroVocabulary.bgmInstruments), ("theme", NuroVocabulary.bgmThemes),
    ]

    /// An optional list of at most five values from `allowed`.
    mutating func tagList(_ f: [String: JSONValue], _ key: String, from allowed: [String]) -> [String]? {
        guard let value = f[key] else { return [] }
        guard case .array(let items) = value else {
            error(key, "expected a list of strings such as [\"\(allowed[0])\"], found \(value.typeName)", allowed: allowed)
            return nil
        }
        var ok = items.count <= 5
        if !ok { error(key, "has \(items.count) values; at most 5 are allowed") }
        var seen = Set<String>()
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let string = member(item, at: "\(key)[\(index)]", of: allowed) else { ok = false; continue }
            if !seen.insert(string).inserted { warning("\(key)[\(index)]", "\"\(string)\" is listed twice") }
            result.append(string)
        }
        return ok ? result : nil
    }

    /// A whole number of seconds in `range`.
    mutating func wholeNumber(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>, required: Bool) -> Int? {
        guard let value else {
            if required { error(path, "required field is missing") }
            return nil
        }
        guard case .number(let number) = value else {
            let hint = value.stringValue.flatMap(Double.init).map { _ in " (write it without quotes)" } ?? ""
            error(path, "expected a whole number of seconds, found \(value.typeName)\(hint)")
            return nil
        }
        guard number == number.rounded(), abs(number) < 1e9 else {
            error(path, "must be a whole number of seconds, not \(number)")
            return nil
        }
        let seconds = Int(number)
        guard range.contains(seconds) else {
            error(path, "\(seconds) s is out of range; it must be \(range.lowerBound) to \(range.upperBound) s")
            return nil
        }
        return seconds
    }

    mutating func unknownFields(_ f: [String: JSONValue], known: Set<String>, kind: String, prefix: String = "") {
        for key in f.keys.sorted() where !known.contains(key) {
            warning(prefix + key, "not a field of \(kind) requests; it will be ignored")
        }
    }
}
