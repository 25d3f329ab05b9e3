import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss import --revise` on the re-anchoring fixtures: the status and exact passage shown by
/// `gloss show`, and `gloss orphans` / `gloss check` agreeing with them.
@Suite struct WorkflowReanchoringEndToEndTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String, original: String, revised: String, quote: String, status: String, passage: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = GlossBinary.packageRoot.appendingPathComponent("Fixtures/reanchoring/cases.json")
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test(arguments: cases)
    func revisingADocumentReanchorsItsAnnotation(_ fixture: Case) throws {
        let s = try WorkflowStore("reanchor")
        defer { s.remove() }
        let root = GlossBinary.packageRoot
        let out = try s.ok(["import", root.appendingPathComponent(fixture.original).path, "--json"])
        let doc = try #require((try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: String]])?.first?["document"])
        let ann = try s.annotate(doc, ["--quote", fixture.quote])
        let revised = try s.ok(["import", "--revise", doc, root.appendingPathComponent("Fixtures/reanchoring/\(fixture.revised)").path])
        #expect(revised.contains("Revised \(doc)"))
        #expect(revised.contains("1 \(fixture.status)"))

        let shown = try #require(try s.json(["show", doc]) as? [String: Any])
        let text = ScalarText(try #require(shown["text"] as? String))
        let anchored = try #require((shown["annotations"] as? [[String: Any]])?.first { (($0["annotation"] as? [String: Any])?["id"] as? String) == ann })
        let anchor = try #require(anchored["anchor"] as? [String: Any])
        #expect(anchor["status"] as? String == fixture.status)
        let position = anchor["position"] as? [String: Int]
        #expect(position.map { text.slice($0["start"]!, $0["end"]!) } == fixture.passage)

        let check = try s.gloss(["check"])
        let needsAttention = fixture.status == "fuzzy" || fixture.status == "orphan"
        #expect(check.status == (needsAttention ? 1 : 0))
        let orphans = try #require(try s.json(["orphans"]) as? [Any])
        #expect(orphans.count == (needsAttention ? 1 : 0))
    }
}
