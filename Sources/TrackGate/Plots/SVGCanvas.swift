import Foundation

/// A minimal SVG writer: elements appended as text, numbers at 0.1 px, text
/// escaped. Enough for plots; no DOM, no dependencies.
struct SVGCanvas {
    let width: Int
    let height: Int
    private(set) var body: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `x` to 0.1, without a trailing ".0". A picture holds some ten thousand
    /// numbers; integer arithmetic formats them many times faster than `String(format:)`.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let whole = String(tenths / 10), fraction = abs(tenths % 10)
        guard fraction != 0 else { return whole }
        return (tenths < 0 && tenths > -10 ? "-" : "") + whole + "." + String(fraction)
    }


    mutating func raw(_ element: String) { body.append(element) }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, style: String) {
        body.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" \(style)/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, style: String) {
        body.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" \(style)/>")
    }

    mutating func text(_ text: String, x: Double, y: Double, style: String = "") {
        body.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\"\(style.isEmpty ? "" : " " + style)>\(MarkupText.escape(text))</text>")
    }

    /// A path through points; a nil point lifts the pen.
    mutating func path(_ points: [(Double, Double)?], closed: Bool = false, style: String) {
        var d = ""
        var penDown = false
        for point in points {
            guard let (x, y) = point else { penDown = false; continue }
            d += (penDown ? "L" : "M") + Self.number(x) + " " + Self.number(y)
            penDown = true
        }
        guard !d.isEmpty else { return }
        body.append("<path d=\"\(d)\(closed ? "Z" : "")\" \(style)/>")
    }

    var document: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        \(body.joined(separator: "\n"))
        </svg>

        """
    }

    /// Tick positions for an axis from `low` to `high`: a round step giving at most `count` ticks.
    static func ticks(from low: Double, to high: Double, count: Int) -> [Double] {
        let span = max(high - low, 1e-9)
        let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
        let step = steps.first { span / $0 <= Double(count) } ?? span / Double(count)
        var t = (low / step).rounded(.up) * step
        var ticks: [Double] = []
        while t <= high + 1e-9 {
            ticks.append(t)
            t += step
        }
        return ticks
    }
}
