/// The version reported by `trackgate --version` and written into output tags.
public enum TrackGateVersion {
    public static let current = "0.1.0"
    /// Name and version, as written into the files TrackGate delivers.
    public static var software: String { "TrackGate \(current)" }
}
