import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// `gloss log` for people shows times as dates; `--json` keeps machine-readable values.
@Suite struct LogEndToEndTests {
    @Test func theLogShowsACreationTimeAsADateAndItsJSONKeepsTheNumber() throws {
        let s = try WorkflowStore()
        defer { s.remove() }
        let document = try s.importSeed("001")
        let annotation = try s.annotate(document, ["--quote", "between 3,000 and 6,000", "--tag", "troops"])

        let entries = try #require(try s.json(["log", annotation]) as? [[String: Any]])
        let fields = try #require(entries.first?["fields"] as? [[String: Any]])
        let created = try #require(fields.first { $0["field"] as? String == "created" })
        let ms = try #require((created["after"] as? [Any])?.first as? Int, "--json gives the creation time in ms since 1970")

        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        let date = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        for args in [["log", annotation], ["log"]] {
            let log = try s.ok(args)
            #expect(log.contains("    created: (empty) -> \(date)\n"), "\(log)")
            #expect(!log.contains(String(ms)), "\(log)")
        }
    }
}
