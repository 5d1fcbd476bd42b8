import Foundation

/// Draws a `TrackPlot` as a self-contained SVG, 1200 px wide: the waveform
/// outline per channel with defect regions shaded, short-term loudness with the
/// target line, and the novelty curve with the confirming strength; requested
/// section boundaries cross all three panels, coloured by what was found.
public enum TrackPlotSVG {
    static let width = 1200
    static let left = 70
    static let plotWidth = 1100
    static let height = 720

    struct Panel {
        let top: Double
        let height: Double
        var bottom: Double { top + height }
    }

    static let waveform = Panel(top: 70, height: 220)
    static let loudness = Panel(top: 320, height: 150)
    static let novelty = Panel(top: 500, height: 120)

    static let colours: [String: String] = [
        "pass": "#1a7f37", "warn": "#b26b00", "fail": "#cf222e", "error": "#6e7781",
        "confirmed": "#1a7f37", "weak": "#d4a72c", "missing": "#cf222e",
        "silence": "#8c959f", "dropout": "#fb8f44", "clipping": "#cf222e",
        "wave": "#0969da", "loudness": "#8250df", "target": "#1a7f37", "novelty": "#0a3069",
    ]

    /// A coordinate as the pictures write it (to 0.1 px).
    public static func formatted(_ value: Double) -> String { SVGCanvas.number(value) }

    public static func render(_ plot: TrackPlot) -> String {
        var svg = SVGCanvas(width: width, height: height)
        svg.rect(x: 0, y: 0, width: Double(width), height: Double(height), style: "fill=\"#ffffff\"")
        svg.raw("<defs><pattern id=\"missing\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"8\" fill=\"#cf222e\"/></pattern></defs>")
        let span = max(plot.duration, plot.requestedDuration ?? 0, 1)
        func x(_ t: Double) -> Double { Double(left) + Double(plotWidth) * min(max(t / span, 0), 1) }

        header(plot, into: &svg)
        for panel in [waveform, loudness, novelty] {
            svg.rect(x: Double(left), y: panel.top, width: Double(plotWidth), height: panel.height,
                     style: "fill=\"#f6f8fa\" stroke=\"#d0d7de\"")
        }
        timeAxis(span: span, x: x, into: &svg)
        regions(plot, x: x, into: &svg)
        waveformPanel(plot, x: x, into: &svg)
        loudnessPanel(plot, x: x, into: &svg)
        noveltyPanel(plot, x: x, into: &svg)
        if let requested = plot.requestedDuration, requested > plot.duration {
            // The part that was asked for and never delivered.
            svg.rect(x: x(plot.duration), y: waveform.top, width: x(requested) - x(plot.duration), height: novelty.bottom - waveform.top,
                     style: "fill=\"url(#missing)\" fill-opacity=\"0.5\"")
        }
        legend(into: &svg)
        return svg.document
    }

    private static func header(_ plot: TrackPlot, into svg: inout SVGCanvas) {
        let colour = colours[plot.verdict.rawValue] ?? "#000"
        svg.rect(x: Double(left), y: 14, width: 58, height: 22, style: "rx=\"4\" fill=\"\(colour)\"")
        svg.text(plot.verdict.rawValue.uppercased(), x: Double(left) + 29, y: 30,
                 style: "fill=\"#ffffff\" font-weight=\"bold\" text-anchor=\"middle\"")
        svg.text(plot.id, x: Double(left) + 70, y: 31, style: "font-size=\"18\" font-weight=\"bold\"")
        var facts = [String(format: "%.2f s", plot.duration)]
        if let requested = plot.requestedDuration { facts[0] += String(format: " of %.0f s requested", requested) }
        facts.append(plot.integratedLUFS.map { String(format: "%.1f LUFS integrated", $0) } ?? "no loudness (silence)")
        facts.append(plot.truePeakDBTP.map { String(format: "true peak %.1f dBTP", $0) } ?? "no peak")
        svg.text(facts.joined(separator: "  ·  "), x: Double(left) + Double(plotWidth), y: 31,
                 style: "text-anchor=\"end\" fill=\"#57606a\"")
        let problems = plot.problems.map { "\($0.status.rawValue) \($0.id): \($0.message)" }.joined(separator: "; ")
        if !problems.isEmpty {
            // About 6.6 px a character at 12 px: keep the line inside the picture.
            let fits = Int(Double(plotWidth + 40) / 6.6)
            svg.text(problems.count > fits ? String(problems.prefix(fits - 1)) + "…" : problems, x: Double(left), y: 55,
                     style: "fill=\"\(colours[plot.verdict.rawValue] ?? "#000")\"")
        }
    }

    private static func timeAxis(span: Double, x: (Double) -> Double, into svg: inout SVGCanvas) {
        for t in SVGCanvas.ticks(from: 0, to: span, count: 14) {
            svg.line(x(t), waveform.top, x(t), novelty.bottom, style: "stroke=\"#d0d7de\" stroke-width=\"0.5\"")
            svg.line(x(t), novelty.bottom, x(t), novelty.bottom + 5, style: "stroke=\"#57606a\"")
            let label = t == t.rounded() ? String(Int(t)) : String(format: "%.1f", t)
            svg.text(label, x: x(t), y: novelty.bottom + 18, style: "text-anchor=\"middle\" fill=\"#57606a\"")
        }
        svg.text("time (s)", x: Double(left + plotWidth), y: novelty.bottom + 34, style: "text-anchor=\"end\" fill=\"#57606a\"")
    }

    private static func regions(_ plot: TrackPlot, x: (Double) -> Double, into svg: inout SVGCanvas) {
        for region in plot.regions {
            let x0 = x(region.start), x1 = max(x(region.end), x0 + 1)
            svg.rect(x: x0, y: waveform.top, width: x1 - x0, height: waveform.height,
                     style: "fill=\"\(colours[region.kind.rawValue]!)\" fill-opacity=\"\(region.kind == .silence ? 0.35 : 0.5)\"")
        }
    }

    private static func waveformPanel(_ plot: TrackPlot, x: (Double) -> Double, into svg: inout SVGCanvas) {
        svg.text("waveform", x: Double(left) + 6, y: waveform.top + 14, style: "fill=\"#57606a\"")
        guard let envelope = plot.envelope else { return }
        let lanes = envelope.minimum.count
        let laneHeight = waveform.height / Double(lanes)
        // Each column is drawn at the middle of its frames; together they span the
        // track's own length, which may be shorter than the axis.
        let frames = Double(max(1, envelope.frameCount))
        let columnX = (0..<envelope.columns).map { c in
            let range = envelope.frames(ofColumn: c)
            return x(plot.duration * Double(range.lowerBound + range.upperBound) / (2 * frames))
        }
        let minimum = envelope.minimum, maximum = envelope.maximum
        for channel in 0..<lanes {
            let centre = waveform.top + laneHeight * (Double(channel) + 0.5)
            let scale = laneHeight * 0.46
            func y(_ v: Float) -> Double { centre - scale * Double(min(max(v.isFinite ? v : 0, -1), 1)) }
            var outline: [(Double, Double)?] = []
            for c in 0..<envelope.columns where !envelope.frames(ofColumn: c).isEmpty {
                outline.append((columnX[c], y(maximum[channel][c])))
            }
            for c in (0..<envelope.columns).reversed() where !envelope.frames(ofColumn: c).isEmpty {
                outline.append((columnX[c], y(minimum[channel][c])))
            }
            svg.path(outline, closed: true, style: "fill=\"\(colours["wave"]!)\" fill-opacity=\"0.75\" stroke=\"none\"")
            svg.line(Double(left), centre, Double(left + plotWidth), centre, style: "stroke=\"#8c959f\" stroke-width=\"0.5\"")
            if lanes == 2 { svg.text(channel == 0 ? "L" : "R", x: Double(left) - 8, y: centre + 4, style: "text-anchor=\"end\" fill=\"#57606a\"") }
        }
    }

    private static func loudnessPanel(_ plot: TrackPlot, x: (Double) -> Double, into svg: inout SVGCanvas) {
        let top = 0.0, bottom = min(-50.0, (plot.shortTerm.map(\.lufs).min() ?? -50).rounded(.down))
        func y(_ lufs: Double) -> Double { loudness.top + loudness.height * (top - min(max(lufs, bottom), top)) / (top - bottom) }
        for tick in SVGCanvas.ticks(from: bottom, to: top, count: 6) {
            svg.line(Double(left) - 4, y(tick), Double(left), y(tick), style: "stroke=\"#57606a\"")
            svg.text(String(Int(tick)), x: Double(left) - 8, y: y(tick) + 4, style: "text-anchor=\"end\" fill=\"#57606a\"")
        }
        axisTitle("LUFS", panel: loudness, into: &svg)
        svg.text("short-term loudness", x: Double(left) + 6, y: loudness.top + 14, style: "fill=\"#57606a\"")
        svg.line(Double(left), y(plot.targetLUFS), Double(left + plotWidth), y(plot.targetLUFS),
                 style: "stroke=\"\(colours["target"]!)\" stroke-dasharray=\"6 4\"")
        svg.text(String(format: "target %.0f LUFS", plot.targetLUFS), x: Double(left + plotWidth) - 4, y: y(plot.targetLUFS) - 4,
                 style: "text-anchor=\"end\" fill=\"\(colours["target"]!)\"")
        var points: [(Double, Double)?] = []
        var previous: Double?
        for (t, lufs) in plot.shortTerm {
            if let previous, t - previous > 0.15 { points.append(nil) }
            points.append((x(t), y(lufs)))
            previous = t
        }
        svg.path(points, style: "fill=\"none\" stroke=\"\(colours["loudness"]!)\" stroke-width=\"1.5\"")
    }

    private static func noveltyPanel(_ plot: TrackPlot, x: (Double) -> Double, into svg: inout SVGCanvas) {
        let values = plot.novelty.values
        let top = max(2 * (plot.confirmStrength ?? 0.5), (values.max() ?? 0) * 1.1, 0.1)
        func y(_ v: Double) -> Double { novelty.bottom - novelty.height * min(max(v, 0), top) / top }
        for tick in SVGCanvas.ticks(from: 0, to: top, count: 4) {
            svg.text(String(format: "%.1f", tick), x: Double(left) - 8, y: y(tick) + 4, style: "text-anchor=\"end\" fill=\"#57606a\"")
        }
        axisTitle("strength", panel: novelty, into: &svg)
        var title = "section contrast (6 s each side)"
        if let plan = plot.planAlignment, plan.boundaries > 0 {
            title += plan.status == .notApplicable ? "; plan not tested"
                : "; plan \(plan.status == .confirmed ? "confirmed" : "not confirmed"), \(Gate.pText(plan.pValue))"
        } else if !plot.lyricSections.isEmpty {
            // Lyrics order sections without timing them: said, not drawn as boundaries.
            let order = plot.lyricSections.prefix(12).joined(separator: " → ") + (plot.lyricSections.count > 12 ? " …" : "")
            title += "; the lyrics ask for \(order) (untimed)"
        }
        svg.text(title, x: Double(left) + 6, y: novelty.top + 14, style: "fill=\"#57606a\"")
        // Above the dotted line a change stands out on this track (top 5 % of its moments).
        if let stands = plot.confirmStrength {
            svg.line(Double(left), y(stands), Double(left + plotWidth), y(stands), style: "stroke=\"#57606a\" stroke-dasharray=\"2 3\"")
        }
        // One point per pixel column is all the eye can use: the column's highest value.
        let step = max(1, values.count / plotWidth)
        let points = stride(from: 0, to: values.count, by: step).map { i -> (Double, Double)? in
            let peak = values[i..<min(values.count, i + step)].max() ?? 0
            return (x(Double(i) * plot.novelty.framePeriod), y(peak))
        }
        svg.path(points, style: "fill=\"none\" stroke=\"\(colours["novelty"]!)\" stroke-width=\"1.2\"")

        for boundary in plot.boundaries {
            let colour = colours[boundary.status.rawValue] ?? "#000"
            svg.line(x(boundary.expectedS), waveform.top, x(boundary.expectedS), novelty.bottom,
                     style: "stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-dasharray=\"8 4\"")
            svg.text(String(format: "%.0f s", boundary.expectedS), x: x(boundary.expectedS) + 3, y: waveform.top - 4,
                     style: "fill=\"\(colour)\"")
            if let detected = boundary.detectedS {
                let (cx, cy) = (x(detected), y(boundary.strength))
                svg.raw("<path d=\"M\(SVGCanvas.number(cx)) \(SVGCanvas.number(cy - 2))l-6 -10h12Z\" fill=\"\(colour)\"><title>\(boundary.status.rawValue): \(MarkupText.escape(String(format: "%.2f s, strength %.2f", detected, boundary.strength)))</title></path>")
            }
        }
    }

    private static func axisTitle(_ title: String, panel: Panel, into svg: inout SVGCanvas) {
        let y = panel.top + panel.height / 2
        svg.text(title, x: 20, y: y, style: "text-anchor=\"middle\" fill=\"#57606a\" transform=\"rotate(-90 20 \(SVGCanvas.number(y)))\"")
    }

    private static func legend(into svg: inout SVGCanvas) {
        let items: [(String, String, String)] = [
            ("area", "wave", "waveform"), ("line", "loudness", "short-term loudness"), ("dash", "target", "target"),
            ("line", "novelty", "novelty"), ("dash", "confirmed", "boundary confirmed"), ("dash", "weak", "weak"),
            ("dash", "missing", "missing"), ("area", "silence", "silence"), ("area", "dropout", "dropout"),
            ("area", "clipping", "clipping"),
        ]
        var cursor = Double(left)
        let y = Double(height) - 22
        for (shape, key, label) in items {
            let colour = colours[key]!
            switch shape {
            case "area": svg.rect(x: cursor, y: y - 9, width: 16, height: 10, style: "fill=\"\(colour)\" fill-opacity=\"0.6\"")
            case "dash": svg.line(cursor, y - 4, cursor + 16, y - 4, style: "stroke=\"\(colour)\" stroke-width=\"2\" stroke-dasharray=\"5 3\"")
            default: svg.line(cursor, y - 4, cursor + 16, y - 4, style: "stroke=\"\(colour)\" stroke-width=\"2\"")
            }
            svg.text(label, x: cursor + 21, y: y)
            cursor += 21 + Double(label.count) * 6.8 + 16
        }
    }
}
