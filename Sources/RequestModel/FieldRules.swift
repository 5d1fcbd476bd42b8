import Foundation

/// Rules on single fields shared by the Sonic and Producer readings (Nuro's
/// own are beside its kinds in `RequestValidator`). Each reports what it finds
/// and returns the value as read.
extension Walker {
    /// An optional string. `limit` is the most code points; past `softLimit`
    /// (a stricter figure from another of the vendor's pages) is a warning that names it.
    mutating func optionalText(_ f: [String: JSONValue], _ key: String, limit: Int? = nil,
                               softLimit: (count: Int, source: String)? = nil, required: Bool = false) -> String? {
        guard let value = f[key], value != .null else {
            if required { error(key, "required field is missing") }
            return nil
        }
        guard case .string(let string) = value else {
            error(key, "expected a string, found \(value.typeName)")
            return nil
        }
        if required && string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(key, "must not be empty")
            return string
        }
        let count = string.unicodeScalars.count
        if let limit, count > limit {
            error(key, "is \(count) characters long; at most \(limit) are accepted")
        } else if let softLimit, count > softLimit.count {
            warning(key, "is \(count) characters long; \(softLimit.source) says at most \(softLimit.count)")
        }
        return string
    }

    /// An optional true or false; `"true"` in quotes is an error (the API checks the type).
    mutating func boolean(_ f: [String: JSONValue], _ key: String, required: Bool = false) -> Bool? {
        switch f[key] {
        case nil, .null?:
            if required { error(key, "required field is missing (true or false)") }
            return nil
        case .bool(let b)?: return b
        case let other?:
            let hint = other.stringValue.map { ["true", "false"].contains($0.lowercased()) ? " (write it without quotes)" : "" } ?? ""
            error(key, "should be boolean (true or false), found \(other.typeName)\(hint)")
            return other.stringValue.flatMap { ["true": true, "false": false][$0.lowercased()] }
        }
    }

    /// An optional number in `range`.
    mutating func number(_ f: [String: JSONValue], _ key: String, in range: ClosedRange<Double>,
                         required: Bool = false, unit: String = "") -> Double? {
        switch f[key] {
        case nil, .null?:
            if required { error(key, "required field is missing") }
            return nil
        case .number(let n)?:
            if !range.contains(n) {
                error(key, "\(Self.figure(n))\(unit) is out of range; it must be \(Self.figure(range.lowerBound)) to "
                    + "\(Self.figure(range.upperBound))\(unit)")
            }
            return n
        case let other?:
            let quoted = other.stringValue.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            error(key, "expected a number, found \(other.typeName)\(quoted == nil ? "" : " (write it without quotes)")")
            return quoted
        }
    }

    /// An optional string that should be one of `allowed`.
    mutating func optionalChoice(_ f: [String: JSONValue], _ key: String, from allowed: [String]) -> String? {
        guard let value = f[key], value != .null else { return nil }
        return member(value, at: key, of: allowed)
    }

    static func figure(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
