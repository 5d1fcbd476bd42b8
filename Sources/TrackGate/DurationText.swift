import Foundation

/// Time formats shared by the human-readable outputs.
public enum DurationText {
    /// `1:39.043` for 99.043 s; `0:07.500` below a minute.
    static func clock(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        return String(format: "%d:%02d.%03d", millis / 60_000, (millis / 1000) % 60, millis % 1000)
    }

    /// `2:05` or `1:02:05`: a wall time or an ETA, to the second.
    public static func elapsed(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// `15 s`, `12.50 s`: whole seconds without decimals.
    static func seconds(_ value: Double) -> String { number(value) + " s" }

    /// `15`, `12.50`: a time without its unit.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.2f", value)
    }
}
