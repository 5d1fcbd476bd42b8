import ArgumentParser
import TrackGate

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Nuro, Sonic and Producer request JSON against every documented rule.",
        discussion: """
        Each file is a request (Nuro: vocal song, BGM v1.0, BGM v2.0; Sonic; Producer) or \
        a saved task answer of one of them, told apart by its fields. Every problem is \
        reported at once, each with its JSON path (such as segments[1].name) and, for list \
        fields, the accepted values. A valid request also shows what it asks for: its \
        duration and, for a v2.0 plan, where each section starts and ends; for Sonic and \
        Producer (which take no duration), the model's longest track and the lyrics' sections.

        Errors make a request invalid (exit 1); warnings (an unknown field, a tag listed \
        twice, a field documented as ignored, a limit only one of the vendor's pages sets) \
        do not. A file that is missing or not JSON exits 2.
        """
    )

    @Argument(help: ArgumentHelp("Request or task JSON files.", valueName: "request.json"))
    var files: [String]

    @OptionGroup var output: OutputOptions

    func run() throws {
        try finish(with: ReportPrinter(options: output).run(files, RequestReport.validate(path:)))
    }
}
