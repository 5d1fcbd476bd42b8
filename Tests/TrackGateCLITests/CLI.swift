import Foundation
import Testing
import TrackGateTestSupport

/// Runs the built `trackgate` executable, as scripts and CI do.
enum CLI {
    /// The binary beside the test bundle (`swift build --build-tests` builds both).
    static let executable: String = {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        if folder.lastPathComponent.hasSuffix(".xctest") || folder.path.contains(".xctest/") {
            while folder.lastPathComponent != "debug" && folder.lastPathComponent != "release" && folder.path != "/" {
                folder = folder.deletingLastPathComponent()
            }
        }
        return folder.appendingPathComponent("trackgate").path
    }()

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func run(_ arguments: String...) throws -> ExternalTool.Result {
        try run(arguments)
    }

    static func run(_ arguments: [String]) throws -> ExternalTool.Result {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "no trackgate binary at \(executable)")
        return try ExternalTool.run(executable, arguments)
    }

    static func sample(_ path: String) -> String { "\(repository)/samples/\(path)" }

    /// Each stdout line parsed as a JSON object.
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}
