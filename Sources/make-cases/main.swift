// Writes the real-world cases (RealWorldCases) into a folder laid out for
// `trackgate batch`, with `expected.tsv` (id, verdict, phrase, fault):
//   swift run -c release make-cases [out/real-world-cases]
// scripts/real-world-cases.sh builds them and replays them through trackgate.
import Foundation
import TrackGateTestSupport

let folder = CommandLine.arguments.dropFirst().first ?? "out/real-world-cases"
do {
    try RealWorldCases.write(to: folder)
    let table = RealWorldCases.cases.map { "\($0.id)\t\($0.verdict)\t\($0.phrase)\t\($0.fault)" }.joined(separator: "\n")
    try Data((table + "\n").utf8).write(to: URL(fileURLWithPath: "\(folder)/expected.tsv"))
    print("wrote \(RealWorldCases.cases.count) cases to \(folder)")
} catch {
    FileHandle.standardError.write(Data("make-cases: \(error)\n".utf8))
    exit(1)
}
