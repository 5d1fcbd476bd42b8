import Foundation
import RequestModel
import Testing
import TrackGateTestSupport

/// `JSONParser` against an independent implementation, Foundation's JSON
/// decoder: on the sample requests and on thousands of texts made from them by
/// one random edit, both accept the same texts and read the same values, apart
/// from the differences `JSONParser` documents.
@Suite struct JSONParserReferenceTests {
    static let samples: [[UInt8]] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/requests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { Array($0) }
        }
    }()

    /// Foundation's reading, or nil when it refuses the text.
    func foundation(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    func ours(_ bytes: [UInt8]) -> JSONValue? { try? JSONParser().parse(bytes).value }

    @Test func sampleRequestsReadAlike() throws {
        #expect(Self.samples.count >= 10)
        for sample in Self.samples {
            let value = try #require(ours(sample))
            #expect(value == foundation(sample))
        }
    }

    /// A comma directly before a closing bracket: Foundation accepts it, RFC 8259
    /// (and this reader) does not.
    func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false
        var escaped = false
        var lastSignificant: UInt8 = 0
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            if b == 0x22 { inString = true }
            if (b == 0x7D || b == 0x5D) && lastSignificant == 0x2C { return true }
            if ![0x20, 0x09, 0x0A, 0x0D].contains(b) { lastSignificant = b }
        }
        return false
    }

    @Test func oneRandomEditAcceptedAndReadAlike() throws {
        var rng = SeededRandom(seed: 22)
        let alphabet = Array("{}[]\":,0123456789-+.eE \n\\tfnru'aé".utf8)
        var agreed = 0
        var bothAccepted = 0
        for _ in 0..<3000 {
            var text = Self.samples[Int(rng.next() % UInt64(Self.samples.count))]
            let at = Int(rng.next() % UInt64(text.count))
            switch rng.next() % 3 {
            case 0: text.remove(at: at)
            case 1: text.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
            default: text[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            let mine = ours(text)
            let theirs = foundation(text)
            if mine == nil && theirs != nil && hasTrailingComma(text) { continue }
            #expect((mine == nil) == (theirs == nil),
                    "acceptance differs on: \(String(decoding: text, as: UTF8.self))")
            if let mine, let theirs {
                #expect(mine == theirs)
                bothAccepted += 1
            }
            agreed += 1
        }
        // Both outcomes were exercised.
        #expect(bothAccepted > 300)
        #expect(agreed - bothAccepted > 1000)
    }

    @Test func randomDocumentsReadAlike() throws {
        var rng = SeededRandom(seed: 7)
        func value(_ depth: Int) -> Any {
            switch rng.next() % (depth > 3 ? 4 : 6) {
            case 0: return Double(Int64(bitPattern: rng.next()) % 2_000_000) / 64
            case 1: return ["intro", "é ü", "𝄞 \"q\"\n\\", "", "tab\there"][Int(rng.next() % 5)]
            case 2: return rng.next() % 2 == 0
            case 3: return NSNull()
            case 4: return (0..<Int(rng.next() % 5)).map { _ in value(depth + 1) }
            default:
                var o: [String: Any] = [:]
                for i in 0..<Int(rng.next() % 5) { o["k\(i)\(rng.next() % 3 == 0 ? "é" : "")"] = value(depth + 1) }
                return o
            }
        }
        for _ in 0..<300 {
            let object: [String: Any] = ["v": value(0)]
            let data = try JSONSerialization.data(withJSONObject: object, options: rng.next() % 2 == 0 ? [.prettyPrinted] : [])
            let mine = try #require(ours(Array(data)))
            #expect(mine == foundation(Array(data)))
        }
    }
}
