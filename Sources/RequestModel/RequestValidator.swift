import Foundation

/// Checks a request against every rule its service documents and, when it
/// passes, builds the typed `TrackRequest`: Nuro (the rules below), Sonic
/// (`SonicRules`) and Producer (`ProducerRules`), told apart by their fields.
///
/// All violations are collected, not just the first, so one run tells the user
/// everything to fix. The rules, by section of the reference:
/// - Create Vocal Song: `lyrics` 300-2000 characters, `genre`, `mood`, `timbre`
///   from their lists, `gender` exactly `Female` or `Male`, `duration` 30-240 s.
/// - Create BGM v1.0: `version` "v1.0" or absent, `description` required,
///   `duration` 1-60 s, `genre`/`mood`/`instrument`/`theme` at most 5 each from their lists.
/// Nuro's rules, by section of its reference:
/// - Create BGM v2.0: `description` under 200 characters; either `duration`
///   30-120 s or `segments` (names from the six types, each 5-120 s, a lone
///   segment at least 30 s, total 30-120 s), not both.
///
/// "Characters" are Unicode code points, as the API's own length checks count them.
/// Whole numbers may be written `120` or `120.0`; `"120"` (a string) is an error.
public struct RequestValidator {
    public init() {}

    /// Parses and validates request JSON.
    /// - Throws: `JSONReadError` when the bytes are not JSON at all.
    public func validate(data: Data) throws(JSONReadError) -> RequestValidation {
        validate(try JSONValue.parse(data))
    }

    public func validate(_ json: JSONValue) -> RequestValidation {
        var walker = Walker()
        let readable = walker.request(json)
        var issues = walker.issues
        let unlisted = walker.unlistedErrors + walker.unlistedWarnings
        if unlisted > 0 {
            issues.append(ValidationIssue(walker.unlistedErrors > 0 ? .error : .warning, path: "",
                "\(unlisted) more problems (\(walker.unlistedErrors) errors) are not listed; the first "
                    + "\(Walker.maximumListedIssues) are"))
        }
        let hasErrors = issues.contains { $0.severity == .error }
        return RequestValidation(request: hasErrors ? nil : readable, readable: readable, issues: issues, json: json)
    }
}

/// The outcome of validating one request.
public struct RequestValidation: Sendable, Equatable {
    /// The typed request, present exactly when there are no errors.
    public let request: TrackRequest?
    /// The request as far as it can be read, broken rules or not: every field
    /// whose value can be taken at its word (a duration out of range, a genre
    /// not on the list, segments that add up to under 30 s). Nil only when no
    /// expectation can be read from it: not an object, no kind, no duration and
    /// no segments. The gate judges tracks against this; `validate` reports the rules.
    public let readable: TrackRequest?
    /// Errors and warnings, in the order of the request's fields.
    public let issues: [ValidationIssue]
    /// The request as parsed, for reports that carry it along.
    public let json: JSONValue

    public var isValid: Bool { request != nil }
    public var errors: [ValidationIssue] { issues.filter { $0.severity == .error } }
}

/// Walks the JSON once, recording issues as it goes, and builds the request
/// as far as it can be read: a value that breaks a rule is reported and still
/// taken at its word.
struct Walker {
    var issues: [ValidationIssue] = []
    /// Set while a request is read a second way (its kind guessed) whose rule
    /// reports would repeat or contradict the first reading's.
    var muted = false

    /// Issues listed one by one; the rest are counted. A request holds a few
    /// dozen fields and lists of five, so 100 covers every honest mistake, and a
    /// generated file with 90,000 unknown keys still gives a short report.
    static let maximumListedIssues = 100
    var unlistedErrors = 0
    var unlistedWarnings = 0

    mutating func error(_ path: String, _ message: String, allowed: [String]? = nil) {
        guard !muted else { return }
        guard issues.count < Self.maximumListedIssues else { unlistedErrors += 1; return }
        issues.append(ValidationIssue(.error, path: path, message, allowed: allowed))
    }

    mutating func warning(_ path: String, _ message: String) {
        guard !muted else { return }
        guard issues.count < Self.maximumListedIssues else { unlistedWarnings += 1; return }
        issues.append(ValidationIssue(.warning, path: path, message))
    }

    mutating func request(_ json: JSONValue) -> TrackRequest? {
        guard case .object(let fields) = json else {
            error("", "a request must be a JSON object, found \(json.typeName)")
            return nil
        }
        switch GenerationService.of(fields) {
        case .sonic: return sonic(fields).map(TrackRequest.sonic)
        case .producer: return producer(fields).map(TrackRequest.producer)
        case .nuro: return nuro(fields).map(TrackRequest.nuro)
        }
    }

    mutating func nuro(_ fields: [String: JSONValue]) -> NuroRequest? {
        // The kind: as stated, or, when "type" is missing or wrong, as the fields show.
        var type = choice(fields, "type", from: ["vocal", "bgm"])
        if type != "vocal" && type != "bgm" {
            type = fields["lyrics"] != nil ? "vocal"
                : ["description", "segments", "duration"].contains(where: { fields[$0] != nil }) ? "bgm" : nil
            // A guessed kind is read for what it says; its rules are not reported
            // against a request that never claimed that kind.
            muted = true
        }
        defer { muted = false }
        guard let type else { return nil }
        if type == "vocal" { return vocal(fields) }
        switch fields["version"] {
        case nil, .string("v1.0"):
            // A plan of segments without "version": "v2.0" is reported as such and still read as a plan.
            let classic = bgmV1(fields)
            if classic == nil, fields["segments"] != nil { return bgmV2(fields, reportRules: false) }
            return classic
        case .string("v2.0"): return bgmV2(fields)
        case .string(let other):
            error("version", "unknown version \"\(other)\"", allowed: ["v1.0", "v2.0"])
        case let other?:
            error("version", "expected a string, found \(other.typeName)", allowed: ["v1.0", "v2.0"])
        }
        // An unknown version: read what the fields say, without a second set of rule reports.
        return fields["segments"] != nil ? bgmV2(fields, reportRules: false) : bgmV1(fields, reportRules: false)
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
        guard let duration else { return nil }
        return .vocal(VocalRequest(lyrics: lyrics ?? "", genre: genre, mood: mood, gender: gender, timbre: timbre,
                                   duration: duration))
    }

    /// - Parameter reportRules: false when the kind was guessed and another kind's rules were already reported.
    mutating func bgmV1(_ f: [String: JSONValue], reportRules: Bool = true) -> NuroRequest? {
        let wasMuted = muted
        muted = muted || !reportRules
        defer { muted = wasMuted }
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
        guard let duration else { return nil }
        return .bgmV1(BGMRequestV1(description: description ?? "", duration: duration, genre: genre, mood: mood,
                                   instrument: instrument, theme: theme))
    }

    mutating func bgmV2(_ f: [String: JSONValue], reportRules: Bool = true) -> NuroRequest? {
        let wasMuted = muted
        muted = muted || !reportRules
        defer { muted = wasMuted }
        let description = text(f, "description", length: 1...199, limitPhrase: "under 200 characters")
        var plan: BGMRequestV2.Plan?
        switch (f["duration"], f["segments"]) {
        case (nil, nil):
            error("", "a v2.0 request needs either \"duration\" or \"segments\"")
        case (let duration?, let segments?):
            error("duration", "give either \"duration\" or \"segments\", not both: the segments set the length")
            if let list = self.segments(segments) {
                plan = .segments(list)
            } else if let seconds = wholeNumber(duration, at: "duration", in: 30...120, required: true) {
                plan = .duration(seconds)
            }
        case (let duration?, nil):
            if let seconds = wholeNumber(duration, at: "duration", in: 30...120, required: true) { plan = .duration(seconds) }
        case (nil, let segments?):
            if let list = self.segments(segments) { plan = .segments(list) }
        }
        unknownFields(f, known: ["type", "version", "description", "duration", "segments"], kind: "BGM v2.0")
        guard let plan else { return nil }
        return .bgmV2(BGMRequestV2(description: description ?? "", plan: plan))
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
        let issuesBefore = issues.count
        for (index, item) in items.enumerated() {
            let path = "segments[\(index)]"
            guard case .object(let f) = item else {
                error(path, "expected a {\"name\", \"duration\"} object, found \(item.typeName)")
                continue
            }
            let name = choice(f, "name", from: NuroVocabulary.segmentTypes, prefix: path + ".")
            let duration = wholeNumber(f["duration"], at: path + ".duration", in: 5...120, required: true)
            unknownFields(f, known: ["name", "duration"], kind: "segment", prefix: path + ".")
            if let duration { result.append(Segment(name: name ?? "section \(index + 1)", duration: duration)) }
        }
        // Without every segment's length, where the later sections start cannot be known.
        guard result.count == items.count else { return nil }
        // The rules on the whole plan are reported once each segment keeps its own.
        guard !muted, !issues[issuesBefore...].contains(where: { $0.severity == .error }) else { return result }
        if result.count == 1, result[0].duration < 30 {
            error("segments[0].duration", "a lone segment must last at least 30 s, not \(result[0].duration) s")
            return result
        }
        let total = result.reduce(0) { $0 + $1.duration }
        if !(30...120).contains(total) {
            error("segments", "the segments add up to \(total) s; the total must be 30 to 120 s")
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
            return string
        }
        if !length.contains(count) {
            let rule = limitPhrase ?? (length.upperBound == Int.max ? "at least \(length.lowerBound) characters"
                : "\(length.lowerBound) to \(length.upperBound) characters")
            error(key, "is \(count) characters long; it must be \(rule)")
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
        if let near = NearMiss.sameWords(string, in: allowed) {
            error(path, "\"\(string)\" is not an accepted value; the API matches exact spelling: did you mean \"\(near)\"?", allowed: allowed)
        } else if let list = Self.bgmLists.first(where: { $0.values != allowed && $0.values.contains(string) }) {
            error(path, "\"\(string)\" is not an accepted value here; it is a BGM \(list.name)", allowed: allowed)
        } else if let near = NearMiss.of(string, in: allowed) {
            error(path, "\"\(string)\" is not an accepted value: did you mean \"\(near)\"?", allowed: allowed)
        } else {
            error(path, "\"\(string)\" is not an accepted value", allowed: allowed)
        }
        // Reported, and still what the request says.
        return string
    }

    /// The four BGM tag lists, to tell a user who put a tag in the wrong one.
    static let bgmLists: [(name: String, values: [String])] = [
        ("genre", NuroVocabulary.bgmGenres), ("mood", NuroVocabulary.bgmMoods),
        ("instrument", NuroVocabulary.bgmInstruments), ("theme", NuroVocabulary.bgmThemes),
    ]

    /// An optional list of at most five values from `allowed` (as read: values
    /// off the list are reported and kept; values that are not strings are dropped).
    mutating func tagList(_ f: [String: JSONValue], _ key: String, from allowed: [String]) -> [String] {
        guard let value = f[key] else { return [] }
        guard case .array(let items) = value else {
            error(key, "expected a list of strings such as [\"\(allowed[0])\"], found \(value.typeName)", allowed: allowed)
            return value.stringValue.map { [$0] } ?? []
        }
        if items.count > 5 { error(key, "has \(items.count) values; at most 5 are allowed") }
        var seen = Set<String>()
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let string = member(item, at: "\(key)[\(index)]", of: allowed) else { continue }
            if !seen.insert(string).inserted {
                warning("\(key)[\(index)]", "\"\(string)\" is listed twice")
                continue
            }
            result.append(string)
        }
        return result
    }

    /// A whole number of seconds in `range`.
    mutating func wholeNumber(_ value: JSONValue?, at path: String, in range: ClosedRange<Int>, required: Bool) -> Int? {
        guard let value else {
            if required { error(path, "required field is missing") }
            return nil
        }
        // As read: a number in quotes or with a fraction is reported, and its
        // nearest whole second still says how long the track should be.
        let number: Double
        switch value {
        case .number(let n): number = n
        default:
            let quoted = value.stringValue.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            let hint = quoted.map { _ in " (write it without quotes)" } ?? ""
            error(path, "expected a whole number of seconds, found \(value.typeName)\(hint)")
            guard let quoted else { return nil }
            number = quoted
        }
        guard number.isFinite, number > 0, number < 1e6 else {
            if case .number = value { error(path, "\(number) is not a length in seconds") }
            return nil
        }
        if case .number = value, number != number.rounded() {
            error(path, "must be a whole number of seconds, not \(number)")
        }
        let seconds = max(1, Int(number.rounded()))
        if !range.contains(seconds) {
            error(path, "\(seconds) s is out of range; it must be \(range.lowerBound) to \(range.upperBound) s")
        }
        return seconds
    }

    mutating func unknownFields(_ f: [String: JSONValue], known: Set<String>, kind: String, prefix: String = "") {
        for key in f.keys.sorted() where !known.contains(key) {
            let near = NearMiss.of(key, in: known.sorted()).map { ": did you mean \"\($0)\"?" } ?? ""
            warning(prefix + key, "not a field of \(kind) requests; it will be ignored\(near)")
        }
    }
}
