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

    /// Runs in a scratch folder, so what a command writes to the current folder
    /// (`check` draws NAME.svg there) stays out of the repository.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ExternalTool.Result {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "no trackgate binary at \(executable)")
        return try ExternalTool.run(executable, arguments, in: scratch.path, environment: environment)
    }

    static let scratch: TemporaryDirectory = {
        // A folder that outlives every test of the run; the system cleans temporaries.
        guard let dir = try? TemporaryDirectory("trackgate-cli") else { fatalError("cannot create a scratch folder") }
        return dir
    }()

    static func sample(_ path: String) -> String { "\(repository)/samples/\(path)" }

    /// Each stdout line parsed as a JSON object.
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }
}
