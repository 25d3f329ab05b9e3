import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

/// The W3C export after a revision: positions on the document's current text.
extension DomainStoreTests {
    /// The export's items by annotation ID.
    static func w3cItems(_ store: ReplicaStore) throws -> [String: [String: Any]] {
        let json = try #require(try JSONSerialization.jsonObject(with: W3CExport.export(store)) as? [String: Any])
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: items.map { (($0["id"] as? String ?? "").replacingOccurrences(of: "urn:gloss:annotation:", with: ""), $0) })
    }

    /// An item's selectors by type.
    static func w3cSelectors(_ item: [String: Any]?) throws -> [String: [String: Any]] {
        let selectors = try #require((item?["target"] as? [String: Any])?["selector"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: selectors.map { ($0["type"] as? String ?? "", $0) })
    }

    /// After `revise`, an annotation mapped onto the new text is exported with its position
    /// there (it used to keep its original revision's offsets, which select other text of the
    /// document), and an orphan with its quote only.
    @Test func theW3CExportGivesPositionsOnTheCurrentRevision() throws {
        let (store, dir) = try TestStores.make()
        defer { dir.remove() }
        let document = try imported(store)
        let kept = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("Other estimates differ.", occurrence: nil)))
        let changed = try store.annotate(AnnotationRequest(document: document.id, selection: .quote("between 3,000 and 6,000", occurrence: nil)))
        let before = try Self.w3cSelectors(try Self.w3cItems(store)[kept.id])
        #expect(before["TextPositionSelector"]?["start"] as? Int == kept.position.start)

        let revised = try store.revise(document: document.id, text: "Intro.\n\n" + Self.text.replacingOccurrences(of: "6,000", with: "7,000"))
        let headID = try #require(revised.document.head)
        let head = try #require(try store.revision(headID))
        let items = try Self.w3cItems(store)

        let mapped = try Self.w3cSelectors(items[kept.id])
        let start = try #require(mapped["TextPositionSelector"]?["start"] as? Int)
        let end = try #require(mapped["TextPositionSelector"]?["end"] as? Int)
        #expect(start == kept.position.start + 8)
        #expect(ScalarText(head.text).slice(start, end) == "Other estimates differ.")
        #expect(mapped["TextQuoteSelector"]?["exact"] as? String == "Other estimates differ.")

        let orphan = try Self.w3cSelectors(items[changed.id])
        #expect(orphan["TextPositionSelector"] == nil)
        #expect(orphan["TextQuoteSelector"]?["exact"] as? String == "between 3,000 and 6,000")
        let source = (items[changed.id]?["target"] as? [String: Any])?["source"] as? String
        #expect(source == "urn:gloss:document:\(document.id)")
    }
}
