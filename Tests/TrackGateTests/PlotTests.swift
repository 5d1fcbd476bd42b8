import AudioIO
import Foundation
import FoundationXML
import RequestModel
import Testing
import TrackGate
import TrackGateTestSupport

/// The pictures and the batch page, read back with an XML parser (libxml2) as
/// a browser's would: what they show must be where the measurements say.
@Suite struct PlotTests {
    static let rate = 44_100
    static let plan = #"{"type": "bgm", "version": "v2.0", "description": "Night drive", "segments": [{"name": "intro", "duration": 10}, {"name": "verse", "duration": 12}, {"name": "chorus", "duration": 10}]}"#

    /// A 32 s track with sections at 10 and 22 s, a 2 s dropout at 15 s and a clipped burst at 27 s.
    static func damagedTrack() throws -> (dir: TemporaryDirectory, audio: String, request: String) {
        let dir = try TemporaryDirectory()
        var music = MusicSynth(sampleRate: rate, seed: 3).render(plan: [("intro", 10), ("verse", 12), ("chorus", 10)]).channels
        for k in music.indices {
            for i in (15 * rate)..<(17 * rate) { music[k][i] = 0 }
            for i in stride(from: 27 * rate, to: 27 * rate + 400, by: 8) { music[k][i] = 1; music[k][i + 1] = 1; music[k][i + 2] = 1 }
        }
        let audio = dir.file("damaged.wav")
        var writer = try SoundFileWriter(path: audio, format: .wavFloat, sampleRate: rate, channelCount: 2)
        try writer.write(AudioBuffer(sampleRate: rate, channels: music))
        try writer.commit()
        let request = dir.file("damaged.request.json")
        try Data(plan.utf8).write(to: URL(fileURLWithPath: request))
        return (dir, audio, request)
    }

    static func x(_ t: Double, span: Double) -> Double { 70 + 1100 * t / span }

    @Test func thePictureShowsTheTrackWhereTheMeasurementsPutIt() throws {
        let track = try Self.damagedTrack()
        let gate = Gate()
        let outcome = gate.evaluate(audioPath: track.audio, request: .file(track.request), envelopeColumns: TrackPlot.envelopeColumns)
        var report = outcome.report
        let path = track.dir.file("damaged.svg")
        report.attachPlot(analysis: outcome.analysis, policy: gate.policy, targetLUFS: -14, path: path)
        #expect(report.plot == path && report.plotError == nil)

        let svg = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(svg.rootElement())
        #expect(root.name == "svg" && root.attr("width")?.stringValue == "1200")
        func nodes(_ xpath: String) throws -> [XMLElement] { try svg.nodes(forXPath: xpath).compactMap { $0 as? XMLElement } }
        func number(_ e: XMLElement, _ name: String) -> Double { Double(e.attr(name)?.stringValue ?? "") ?? .nan }
        let texts = try nodes("//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("damaged") && texts.contains(report.verdict.rawValue.uppercased()))
        #expect(texts.contains { $0.contains("dropout: 2.0 s of silence at 15.0 s") })
        for label in ["waveform", "short-term loudness", "target", "novelty", "boundary confirmed", "silence", "dropout", "clipping",
                      "time (s)", "LUFS", "target -14 LUFS"] {
            #expect(texts.contains(label), "\(label) is missing")
        }

        // The dropout is shaded from 15 to 17 s, the clipping at 27 s.
        let span = 32.0
        let dropouts = try nodes("//*[local-name()='rect'][@fill='#fb8f44']").filter { $0.attr("height")?.stringValue == "220" }
        let dropout = try #require(dropouts.first)
        #expect(abs(number(dropout, "x") - Self.x(15, span: span)) < 1.5)
        #expect(abs(number(dropout, "width") - (Self.x(17, span: span) - Self.x(15, span: span))) < 1.5)
        let clips = try nodes("//*[local-name()='rect'][@fill='#cf222e'][@height='220']")
        #expect(!clips.isEmpty && clips.allSatisfy { abs(number($0, "x") - Self.x(27, span: span)) < 2 })

        // One dashed line per requested boundary, in its status's colour, at its time.
        let colours = ["confirmed": "#1a7f37", "weak": "#d4a72c", "missing": "#cf222e"]
        #expect(report.boundaries.map(\.expectedS) == [10, 22])
        for boundary in report.boundaries {
            let lines = try nodes("//*[local-name()='line'][@stroke-dasharray='8 4']")
                .filter { abs(number($0, "x1") - Self.x(boundary.expectedS, span: span)) < 0.2 }
            #expect(lines.count == 1 && lines.first?.attr("stroke")?.stringValue == colours[boundary.status.rawValue])
        }
        // Two channels, two waveform outlines; the loudness curve and the novelty curve.
        #expect(try nodes("//*[local-name()='path'][@fill='#0969da']").count == 2)
        #expect(try nodes("//*[local-name()='path'][@stroke='#8250df']").count == 1)
        #expect(try nodes("//*[local-name()='path'][@stroke='#0a3069']").count == 1)
    }

    @Test func shortDeliveriesShowTheMissingPart() throws {
        let dir = try TemporaryDirectory()
        let audio = dir.file("short.wav")
        let music = MusicSynth(sampleRate: Self.rate, seed: 3).render(plan: [("verse", 20)]).channels
        var writer = try SoundFileWriter(path: audio, format: .wav16, sampleRate: Self.rate, channelCount: 2)
        try writer.write(AudioBuffer(sampleRate: Self.rate, channels: music))
        try writer.commit()
        let request = JSONSource.inline(.object(["type": .string("bgm"), "description": .string("d"), "duration": .number(40)]), origin: "r")
        let outcome = Gate().evaluate(audioPath: audio, request: request, envelopeColumns: 100)
        let analysis = try #require(outcome.analysis)
        let svg = TrackPlotSVG.render(TrackPlot(analysis: analysis, report: outcome.report, policy: Policy(), targetLUFS: -14))
        let doc = try XMLDocument(xmlString: svg)
        let hatched = try doc.nodes(forXPath: "//*[local-name()='rect'][@fill='url(#missing)']").compactMap { $0 as? XMLElement }
        let rect = try #require(hatched.first)
        // From the end of the audio (20 s) to the end of the request (40 s), on an axis of 40 s.
        #expect(abs((Double(rect.attr("x")?.stringValue ?? "") ?? 0) - Self.x(20, span: 40)) < 0.2)
    }

    /// The page carries every track as data its script draws a page of rows
    /// from, stays small (5,000 tracks under 2.5 MB), and no text can break out
    /// of the data block.
    @Test func theBatchPageCarriesEveryTrack() throws {
        let verdicts: [TrackReport.Verdict] = [.pass, .warn, .fail, .error]
        let results: [BatchResult] = Array(0..<5000).map { (i: Int) -> BatchResult in
            var report = TrackReport(id: String(format: "track-%04d", i), file: "in/track-\(i).wav", error: nil, unreadable: false)
            report.verdict = verdicts[i % 4]
            report.durationS = 30 + Double(i % 200)
            report.requestedDurationS = 60
            report.checks = i % 4 == 2 ? [.init(id: .clipping, status: .fail, message: "12 runs <of> \"full\" scale & </script> more")] : []
            report.error = i % 4 == 3 ? "in/track-\(i).wav: not audio" : nil
            report.plot = i % 4 == 3 ? nil : "out/track-\(i).svg"
            return BatchResult(index: i, report: report, resume: .fresh, seconds: 0.1)
        }
        var summary = BatchSummary(total: results.count)
        results.forEach { summary.add($0) }
        let html = BatchIndexPage.render(results, summary: summary, headline: "5000 of 5000 tracks",
                                         settings: [("mode", "check <only>")])
        #expect(html.utf8.count < 2_500_000, "\(html.utf8.count) bytes")
        #expect(!html.contains("http://") && !html.contains("https://"), "the page makes no network requests")
        // The only "</script" in the page close its two scripts.
        #expect(html.components(separatedBy: "</script").count == 3)
        let open = try #require(html.range(of: "<script type=\"application/json\" id=\"data\">"))
        let close = try #require(html.range(of: "</script>", range: open.upperBound..<html.endIndex))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(html[open.upperBound..<close.lowerBound].utf8)) as? [[Any]])
        #expect(rows.count == 5000)
        #expect(rows.map { $0[0] as? String } == results.map(\.id))
        #expect(rows[2][1] as? String == "fail" && rows[2][8] as? String == "clipping")
        #expect(rows[2][9] as? String == "fail clipping: 12 runs <of> \"full\" scale & </script> more")
        #expect(rows[0][2] as? String == "30.00" && rows[0][3] as? String == "60")
        #expect(rows[0][10] as? String == "track-0.svg", "the picture beside the page, by file name")
        #expect(rows[3][10] as? String == "", "no picture, no link")
        #expect(html.contains("check &lt;only&gt;"))
        #expect(html.contains("<span class=\"badge fail\">fail <b>1250</b></span>"))
    }

    /// Pictures in other folders are linked relative to the page, percent-encoded.
    @Test func pictureLinksAreRelativeToThePage() {
        #expect(BatchIndexPage.pictureLink("out/a.svg", pageFolder: nil) == "a.svg")
        #expect(BatchIndexPage.pictureLink("/data/out/a.svg", pageFolder: "/data/out") == "a.svg")
        #expect(BatchIndexPage.pictureLink("/data/shard-1/a b#2.svg", pageFolder: "/data/summary") == "../shard-1/a%20b%232.svg")
        #expect(BatchIndexPage.pictureLink("/data/x/y/Café.svg", pageFolder: "/data") == "x/y/Caf%C3%A9.svg")
    }

    @Test func theShardPagesHaveNamesOfTheirOwn() throws {
        #expect(BatchIndexPage.fileName(for: .all) == "index.html")
        #expect(BatchIndexPage.fileName(for: try Shard(parsing: "0/1")) == "index.html")
        #expect(BatchIndexPage.fileName(for: try Shard(parsing: "2/4")) == "index-shard-2-of-4.html")
    }
}

extension XMLElement {
    /// An attribute's value. (FoundationXML's `attribute(forName:)` finds nothing
    /// in a document with a default namespace, as every SVG has, on Linux.)
    func attr(_ name: String) -> XMLNode? {
        attributes?.first { $0.name == name }
    }
}

@Suite struct SVGNumberTests {
    @Test func numbersAreWrittenToATenth() {
        let cases: [(Double, String)] = [(0, "0"), (12, "12"), (12.34, "12.3"), (12.36, "12.4"), (-0.04, "0"), (-0.06, "-0.1"),
                                         (-0.5, "-0.5"), (-12.25, "-12.3"), (1199.96, "1200"), (.nan, "0")]
        for (value, text) in cases {
            #expect(TrackPlotSVG.formatted(value) == text, "\(value)")
        }
    }
}
