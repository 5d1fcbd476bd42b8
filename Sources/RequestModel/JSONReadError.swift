/// Where something is in a JSON text.
public struct JSONPosition: Sendable, Equatable, Codable {
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars (a tab or an `é` is one column).
    public let column: Int
    /// 0-based byte offset from the start of the file (as `xxd` and `dd skip=`
    /// count); nil when the text was transcoded from UTF-16 before parsing.
    public let offset: Int?

    public init(line: Int, column: Int, offset: Int?) {
        self.line = line
        self.column = column
        self.offset = offset
    }
}

/// Why a JSON text could not be read: what was found, where, and what was
/// expected, in one sentence a person can act on.
///
/// `description` is the whole message ("unexpected end of file at line 12,
/// column 3: the object opened at line 1, column 1 is not closed"); callers add
/// the file name in front, once.
public struct JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of problem, reported as `error_kind` by `--json` outputs.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The bytes are not JSON: a syntax error, an empty file, text after the value.
        case notJSON = "not_json"
        /// The bytes are not UTF-8 text (Latin-1, UTF-32, broken UTF-16).
        case encoding
        /// The file, or one list in it, is larger than any request allows.
        case tooLarge = "too_large"
        /// Objects and lists nest deeper than any request does.
        case tooDeep = "too_deep"
        /// A number beyond what a 64-bit float holds (`1e400`).
        case numberRange = "number_range"
    }

    public let kind: Kind
    /// Where the problem is, when it is at one place.
    public let position: JSONPosition?
    public let message: String

    public init(_ kind: Kind, at position: JSONPosition?, _ message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    public var description: String { message }
}

/// Something a JSON text says that a reader accepts but a person should know:
/// a key given twice, a file that is not UTF-8.
public struct JSONWarning: Sendable, Equatable {
    /// The JSON path of the value concerned (`segments[1].name`); empty for the
    /// file as a whole.
    public let path: String
    public let position: JSONPosition?
    public let message: String

    public init(path: String, at position: JSONPosition?, _ message: String) {
        self.path = path
        self.position = position
        self.message = message
    }
}

/// A parsed JSON text and what its reading noticed.
public struct JSONDocument: Sendable, Equatable {
    public var value: JSONValue
    public var warnings: [JSONWarning]

    public init(value: JSONValue, warnings: [JSONWarning] = []) {
        self.value = value
        self.warnings = warnings
    }
}
