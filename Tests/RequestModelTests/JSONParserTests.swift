import Foundation
import RequestModel
import Testing

/// The reader's errors, each with the exact place it reports (positions counted
/// by hand on the texts below), and its warnings.
@Suite struct JSONParserTests {
    func error(_ text: String, layout: JSONParser.Layout = .file) -> JSONReadError? {
        error(Array(text.utf8), layout: layout)
    }

    func error(_ bytes: [UInt8], layout: JSONParser.Layout = .file) -> JSONReadError? {
        do throws(JSONReadError) {
            _ = try JSONParser(layout: layout).parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func parse(_ text: String) throws -> JSONDocument { try JSONParser().parse(Array(text.utf8)) }

    // MARK: Where a cut file ends

    @Test func cutFileNamesTheObjectLeftOpen() throws {
        // Eleven lines of members, then a cut after the indent of line 12.
        var text = "{\n"
        for i in 1...10 { text += "  \"k\(i)\": \(i),\n" }
        text += "  \"last\": 0,\n  "
        let e = try #require(error(text))
        #expect(e.kind == .notJSON)
        #expect(e.position == JSONPosition(line: 13, column: 3, offset: text.utf8.count))
        #expect(e.message == "unexpected end of file at line 13, column 3: the object opened at line 1, column 1 "
            + "is not closed (is the file cut short?)")
    }

    @Test func cutInsideAValueSaysWhatWasExpectedAndWhatIsOpen() throws {
        let e = try #require(error("{\"segments\": [{\"name\": "))
        #expect(e.message == "unexpected end of file at line 1, column 24: expected a value; the object segments[0] "
            + "opened at line 1, column 15 is not closed (is the file cut short?)")
    }

    @Test func cutInsideAString() throws {
        let e = try #require(error("{\n  \"description\": \"Epic cinem"))
        #expect(e.position == JSONPosition(line: 2, column: 29, offset: 30))
        #expect(e.message.contains("the string opened at line 2, column 18 is not closed"))
    }

    @Test func emptyAndBlankFiles() throws {
        #expect(try #require(error("")).message == "empty file (0 bytes): no JSON in it")
        let blank = try #require(error(" \n\t\n"))
        #expect(blank.kind == .notJSON)
        #expect(blank.position == JSONPosition(line: 3, column: 1, offset: 4))
        #expect(blank.message.contains("holds only white space"))
    }

    @Test func loneBrace() throws {
        let e = try #require(error("{"))
        #expect(e.message == "unexpected end of file at line 1, column 2: the object opened at line 1, column 1 is not closed "
            + "(is the file cut short?)")
    }

    // MARK: What people type

    @Test func trailingComma() throws {
        let e = try #require(error("{\"a\": 1,\n}"))
        #expect(e.position == JSONPosition(line: 2, column: 1, offset: 9))
        #expect(e.message.contains("JSON allows no trailing comma"))
        #expect(try #require(error("[1, 2,]")).message.contains("JSON allows no trailing comma"))
    }

    @Test func missingComma() throws {
        let e = try #require(error("{\"a\": 1\n \"b\": 2}"))
        #expect(e.position == JSONPosition(line: 2, column: 2, offset: 9))
        #expect(e.message == "unexpected '\"' at line 2, column 2: expected ',' or '}' after the value of \"a\" (a comma is missing)")
    }

    @Test func singleQuotesCommentsAndPythonLiterals() throws {
        #expect(try #require(error("{'a': 1}")).message.contains("keys take double quotes"))
        #expect(try #require(error("{\"a\": 'x'}")).message.contains("JSON strings take double quotes"))
        #expect(try #require(error("{\"a\": 1 // one\n}")).message.contains("unexpected '/' at line 1, column 9"))
        #expect(try #require(error("// request\n{}")).message.contains("JSON has no comments"))
        #expect(try #require(error("{\"a\": True}")).message == "unexpected word 'True' at line 1, column 7: JSON's literals are lower case: true")
        #expect(try #require(error("{\"a\": None}")).message.contains("JSON writes null, not None"))
        #expect(try #require(error("[NaN]")).message.contains("NaN and Infinity are not JSON numbers"))
        #expect(try #require(error("{\"a\": rock}")).message.contains("text takes double quotes (\"rock\")"))
    }

    @Test func numbersAsRFC8259WritesThem() throws {
        #expect(try #require(error("[01]")).message.contains("leading zero at line 1, column 2"))
        #expect(try #require(error("[+1]")).message.contains("cannot start with '+'"))
        #expect(try #require(error("[.5]")).message.contains("a digit before the '.'"))
        #expect(try #require(error("[1.]")).message.contains("expected a digit after '.'"))
        #expect(try #require(error("[1e]")).message.contains("expected digits of the exponent"))
        #expect(try #require(error("[-]")).message.contains("expected a digit after '-'"))
        #expect(try parse("[0, -0.5, 1E+2, 2e-3, 120.0]").value
            == .array([.number(0), .number(-0.5), .number(100), .number(0.002), .number(120)]))
    }

    @Test func numberOutOfRange() throws {
        let e = try #require(error("{\"type\": \"bgm\",\n \"duration\": 1e400}"))
        #expect(e.kind == .numberRange)
        #expect(e.position == JSONPosition(line: 2, column: 14, offset: 29))
        #expect(e.message == "number 1e400 at line 2, column 14 is out of range: a number's size must stay under "
            + "1.7976931348623157e308, the largest binary64 value")
        #expect(try #require(error("[-2e308]")).kind == .numberRange)
        // The largest finite binary64 value is in range; an underflow reads as zero, as in Foundation.
        #expect(try parse("[1.7976931348623157e308, 1e-400]").value == .array([.number(.greatestFiniteMagnitude), .number(0)]))
    }

    @Test func stringsControlCharactersAndEscapes() throws {
        let e = try #require(error("{\"a\": \"one\ntwo\"}"))
        #expect(e.position == JSONPosition(line: 1, column: 11, offset: 10))
        #expect(e.message.contains("a line break inside the string opened at line 1, column 7"))
        #expect(try #require(error("[\"a\tb\"]")).message.contains("control character U+0009 inside a string at line 1, column 4: write it as \\t"))
        let escape = try #require(error("[\"C:\\music\"]"))
        #expect(escape.position == JSONPosition(line: 1, column: 5, offset: 4))
        #expect(escape.message.hasPrefix("invalid escape '\\m' at line 1, column 5"))
        #expect(try #require(error("[\"\\u12G4\"]")).message.contains("\\u takes four hex digits"))
        #expect(try #require(error("[\"\\uD834\"]")).message.contains("unpaired surrogate \\uD834 at line 1, column 3"))
        #expect(try #require(error("[\"\\uDD1E\"]")).message.contains("unpaired surrogate \\uDD1E"))
        #expect(try parse("[\"\\uD834\\uDD1E \\u00e9\\n\\t\\\"\\\\\\/\"]").value == .array([.string("𝄞 é\n\t\"\\/")]))
    }

    @Test func textAfterTheValue() throws {
        let second = try #require(error("{\"a\": 1}\n{\"a\": 2}"))
        #expect(second.position == JSONPosition(line: 2, column: 1, offset: 9))
        #expect(second.message.contains("a second JSON value"))
        #expect(second.message.contains("trackgate batch reads those"))
        #expect(try #require(error("{} x")).message.contains("unexpected 'x' at line 1, column 4 after the JSON value"))
    }

    @Test func htmlErrorPage() throws {
        let e = try #require(error("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"))
        #expect(e.message.contains("this is HTML or XML, not JSON"))
    }

    // MARK: Encodings

    @Test func latin1ByteNamedWithItsOffset() throws {
        // {"description": "caf<E9>"}: the byte 0xE9 is at offset 20.
        let bytes = Array("{\"description\": \"caf".utf8) + [0xE9] + Array("\"}".utf8)
        let e = try #require(error(bytes))
        #expect(e.kind == .encoding)
        #expect(e.position == JSONPosition(line: 1, column: 21, offset: 20))
        #expect(e.message == "invalid UTF-8 byte 0xE9 at byte offset 20, line 1, column 21: the file looks like Latin-1 text "
            + "('é' in Latin-1): save it as UTF-8")
        let cp1252 = try #require(error(Array("[\"".utf8) + [0x93, 0x41, 0x94] + Array("\"]".utf8)))
        #expect(cp1252.message.contains("the file looks like Windows-1252 text ('“' in Windows-1252)"))
        // A file with valid UTF-8 before the bad byte is damaged, not Latin-1.
        let mixed = try #require(error(Array("[\"é\", \"".utf8) + [0xE9] + Array("\"]".utf8)))
        #expect(mixed.message.contains("damaged, or mixes encodings"))
        // Overlong forms and encoded surrogates are not UTF-8 either.
        #expect(try #require(error([0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D])).kind == .encoding)
        #expect(try #require(error([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D])).kind == .encoding)
    }

    @Test func utf16IsReadWithAWarning() throws {
        let text = "{\"name\": \"intro\", \"é\": [1]}"
        for (bom, bigEndian) in [(true, false), (true, true), (false, false), (false, true)] {
            var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
            for unit in text.utf16 {
                bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            }
            let document = try JSONParser().parse(bytes)
            #expect(document.value == .object(["name": .string("intro"), "é": .array([.number(1)])]))
            #expect(document.warnings.count == 1)
            #expect(document.warnings[0].message.contains("UTF-16 (\(bigEndian ? "big" : "little")-endian)"))
        }
        // Positions in transcoded text are lines and columns; byte offsets would mislead.
        var cut: [UInt8] = [0xFF, 0xFE]
        for unit in "{\n \"a\": ".utf16 { cut += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try #require(error(cut)).position == JSONPosition(line: 2, column: 7, offset: nil))
    }

    @Test func utf32IsRefused() throws {
        let e = try #require(error([0xFF, 0xFE, 0, 0, 0x7B, 0, 0, 0, 0x7D, 0, 0, 0]))
        #expect(e.kind == .encoding)
        #expect(e.message.hasPrefix("UTF-32 text"))
        #expect(try #require(error([0, 0, 0, 0x7B, 0, 0, 0, 0x7D])).kind == .encoding)
        #expect(try #require(error([0x7B, 0, 0, 0, 0x7D, 0, 0, 0])).message.hasPrefix("UTF-32 text"))
    }

    @Test func utf8ByteOrderMarkIsSkippedAndColumnsStayRight() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": x}".utf8)
        let e = try #require(error(bytes))
        #expect(e.position == JSONPosition(line: 1, column: 7, offset: 9))
        #expect(try JSONParser().parse([0xEF, 0xBB, 0xBF] + Array("[true]".utf8)).value == .array([.bool(true)]))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let e = try #require(error("{\"titre\": \"été\" x}"))
        #expect(e.position == JSONPosition(line: 1, column: 17, offset: 18))
    }

    // MARK: Limits

    @Test func nestingLimit() throws {
        let deep = String(repeating: "[", count: 100_000)
        let e = try #require(error(deep))
        #expect(e.kind == .tooDeep)
        #expect(e.position == JSONPosition(line: 1, column: 65, offset: 64))
        #expect(e.message == "nesting deeper than 64 levels at line 1, column 65: no request or task answer nests that deep")
        let sixtyFour = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(sixtyFour) }
    }

    @Test func listLengthLimit() throws {
        let limit = "{\"genre\": [" + Array(repeating: "1", count: 10_000).joined(separator: ",") + "]}"
        #expect(throws: Never.self) { try parse(limit) }
        let over = "{\"genre\": [" + Array(repeating: "1", count: 10_001).joined(separator: ",") + "]}"
        let e = try #require(error(over))
        #expect(e.kind == .tooLarge)
        #expect(e.position == JSONPosition(line: 1, column: 11, offset: 10))
        #expect(e.message.hasPrefix("the list genre opened at line 1, column 11 holds more than 10000 values"))
    }

    // MARK: Warnings

    @Test func duplicateKeysWarnAndTheLastValueIsUsed() throws {
        let document = try parse("{\n  \"duration\": 30,\n  \"segments\": [{\"name\": \"intro\", \"name\": \"verse\"}],\n  \"duration\": 45\n}")
        #expect(document.value["duration"] == .number(45))
        #expect(document.value["segments"] == .array([.object(["name": .string("verse")])]))
        #expect(document.warnings.map(\.path) == ["segments[0].name", "duration"])
        #expect(document.warnings[1].position == JSONPosition(line: 4, column: 3, offset: 74))
        #expect(document.warnings[1].message == "the key \"duration\" appears twice in one object (at line 2, column 3 and "
            + "line 4, column 3): the last value is used")
    }

    @Test func manyDuplicatesAreCountedNotListed() throws {
        let text = "{" + (0..<50).map { _ in "\"a\": 1" }.joined(separator: ",") + "}"
        let warnings = try parse(text).warnings
        #expect(warnings.count == 21)
        #expect(warnings.last?.message == "29 more keys appear twice (the first 20 are listed)")
    }

    // MARK: Manifest lines

    @Test func lineLayoutTellsColumnsAndFileOffsets() throws {
        let e = try #require(error("{\"audio\": \"a.wav\", \"request\": {\"type\": ", layout: .line(lineOffset: 1000)))
        #expect(e.position == JSONPosition(line: 1, column: 40, offset: 1039))
        #expect(e.message == "unexpected end of line at column 40: expected a value; the object request opened at column 31 "
            + "is not closed (is the line cut short?)")
    }
}
