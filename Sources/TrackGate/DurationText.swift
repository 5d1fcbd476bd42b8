import Foundation

/// Time formats shared by the human-readable outputs.
enum DurationText {
    /// `1:39.043` for 99.043 s; `0:07.500` below a minute.
    static func clock(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        return String(format: "%d:%02d.%03d", millis / 60_000, (millis / 1000) % 60, millis % 1000)
    }

    /// `15 s`, `12.50 s`: whole seconds without decimals.
    static func seconds(_ value: Double) -> String { number(value) + " s" }

    /// `15`, `12.50`: a time without its unit.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.2f", value)
    }
}
