import Foundation

/// The batch as a JUnit XML report, the format CI systems (GitLab, Jenkins,
/// GitHub test reporters) show as a test run: one test case per track, the
/// gate's failures as `<failure>`, unreadable inputs as `<error>`.
public enum JUnitReport {
    public static func render(_ results: [BatchResult], seconds: Double, timestamp: Date = SourceDateEpoch.now()) -> String {
        let failures = results.filter { $0.verdict == .fail }.count
        let errors = results.filter { $0.verdict == .error }.count
        let time = String(format: "%.3f", seconds)
        let stamp = ISO8601DateFormatter().string(from: timestamp)
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites name="trackgate batch" tests="\(results.count)" failures="\(failures)" errors="\(errors)" time="\(time)">
          <testsuite name="trackgate" tests="\(results.count)" failures="\(failures)" errors="\(errors)" skipped="0" time="\(time)" timestamp="\(stamp)">

        """
        for r in results {
            xml += "    <testcase classname=\"trackgate.gate\" name=\"\(MarkupText.escape(r.id))\" file=\"\(MarkupText.escape(r.file))\" time=\(quote(String(format: "%.3f", r.seconds)))"
            let warnings = r.problems.filter { $0.status == .warn }.map { "warn \($0.id): \($0.message)" }
            switch r.verdict {
            case .pass where warnings.isEmpty:
                xml += "/>\n"
                continue
            case .pass, .warn:
                xml += ">\n"
            case .fail:
                let failed = r.problems.filter { $0.status == .fail }
                let message = failed.map { "\($0.id): \($0.message)" }.joined(separator: "; ")
                xml += ">\n      <failure type=\"gate\" message=\(quote(message))>\(MarkupText.escape(failed.map { "fail \($0.id): \($0.message)" }.joined(separator: "\n")))</failure>\n"
            case .error:
                let message = r.error ?? "the track could not be checked"
                xml += ">\n      <error type=\(quote(r.errorKind ?? "unreadable")) message=\(quote(message))>\(MarkupText.escape(message))</error>\n"
            }
            if !warnings.isEmpty { xml += "      <system-out>\(MarkupText.escape(warnings.joined(separator: "\n")))</system-out>\n" }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func quote(_ text: String) -> String { "\"\(MarkupText.escape(text))\"" }
}
