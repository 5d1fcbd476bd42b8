import Foundation
import Testing
import TrackGateTestSupport

/// The real-world cases (README, "Reliability"): each gets its verdict and its
/// words from `trackgate batch --check-only`, as `scripts/real-world-cases.sh` replays them.
@Suite struct RealWorldCasesTests {
    @Test func everyCaseGetsItsVerdictAndItsWords() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.file("cases")
        try RealWorldCases.write(to: folder)
        let result = try CLI.run("batch", folder, "--check-only", "--json", "--quiet")
        #expect(result.status == 2, "an unreadable case makes the exit code 2: \(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let reports = Dictionary(uniqueKeysWithValues: try CLI.jsonLines(result.stdout).map { ($0["id"] as? String ?? "?", $0) })
        #expect(Set(reports.keys) == Set(RealWorldCases.cases.map(\.id)))
        for c in RealWorldCases.cases {
            let report = try #require(reports[c.id], "\(c.id) has no report")
            #expect(report["verdict"] as? String == c.verdict, "\(c.id) (\(c.fault)): \(report["verdict"] ?? "?")")
            let text = String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
                .replacingOccurrences(of: "\\/", with: "/")
            #expect(text.contains(c.phrase), "\(c.id): no \"\(c.phrase)\" in \(text.prefix(600))")
        }
    }
}
