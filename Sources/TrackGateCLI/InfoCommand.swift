import ArgumentParser
import TrackGate

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show container, codec, rate, channels, frames, duration and tags of audio files.",
        discussion: """
        Reads any format libsndfile reads: WAV (also RF64, W64, BWF), AIFF, FLAC, Ogg \
        Vorbis/Opus, MP3, CAF and more. Checks what libsndfile lets pass: a WAV or AIFF \
        whose header announces more audio than the file holds (an interrupted download) \
        is reported as truncated, and a file that is not audio at all (a saved HTML error \
        page, JSON) is named as such. A file that cannot be read is one line on standard \
        error (or an object with "error" under --json) and makes the exit code 2.
        """
    )

    @Argument(help: ArgumentHelp("Audio files.", valueName: "audio"))
    var files: [String]

    @Flag(name: .long, help: "Also decode every frame, to catch damage inside compressed streams (slower).")
    var decode = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let printer = ReportPrinter(options: output, separateWithBlankLine: true)
        try finish(with: printer.run(files) { AudioFileReport.inspect(path: $0, decode: decode) })
    }
}
