import ArgumentParser
import TrackGate

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Nuro request JSON against every rule of the API reference.",
        discussion: """
        Each file is a request (vocal song, BGM v1.0, BGM v2.0) or a saved "Get Music" \
        task answer, told apart by its fields. Every problem is reported at once, each with \
        its JSON path (such as segments[1].name) and, for list fields, the accepted values. \
        A valid request also shows the structure it asks for: its duration and, for a \
        v2.0 plan, where each section starts and ends.

        Errors make a request invalid (exit 1); warnings (an unknown field, a tag listed \
        twice) do not. A file that is missing or not JSON exits 2.
        """
    )

    @Argument(help: ArgumentHelp("Request or task JSON files.", valueName: "request.json"))
    var files: [String]

    @OptionGroup var output: OutputOptions

    func run() throws {
        try finish(with: ReportPrinter(options: output).run(files, RequestReport.validate(path:)))
    }
}
