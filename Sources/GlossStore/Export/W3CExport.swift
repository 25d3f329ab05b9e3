import Foundation
import GlossCore

/// The W3C Web Annotation export: one AnnotationCollection (JSON-LD) with every annotation,
/// its quote and position selectors, motivation, comment, claim and tags as bodies (tags with
/// purpose "tagging"), creator, created and modified.
///
/// A target's `source` is the document (its URL, or `urn:gloss:document:ID`), whose text is its
/// current revision, so the TextPositionSelector gives where the annotation sits on that
/// revision: its current anchor (exact, mapped or fuzzy), not the offsets on the revision it was
/// made on, which after `gloss import --revise` select other text. An orphan (no place found on
/// the current revision) has no TextPositionSelector, only its TextQuoteSelector: offsets into
/// an older text would highlight the wrong passage of the document another tool has.
public enum W3CExport {
    /// The export as JSON-LD bytes.
    public static func export(_ store: ReplicaStore, filter: ExportFilter = ExportFilter()) throws -> Data {
        let selection = try ExportSelection(store, filter)
        let names = try store.replicaNames()
        let documents = Dictionary(uniqueKeysWithValues: selection.documents.map { ($0.id, $0) })
        let anchors = try selection.anchors(store)
        var items: [[String: Any]] = []
        for annotation in ExportSelection.order(selection.annotations, created: \.created, id: \.id) {
            guard let record = try store.record(annotation.id) else { continue }
            items.append(item(
                annotation, anchor: anchors[annotation.id] ?? .orphan, record: record, document: documents[annotation.document],
                names: names))
        }
        let collection: [String: Any] = [
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "urn:gloss:collection:\(store.replicaID.rawValue)",
            "type": "AnnotationCollection",
            "label": "Gloss annotations",
            "total": items.count,
            "first": [
                "id": "urn:gloss:collection:\(store.replicaID.rawValue):page:0",
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": items,
            ] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: collection, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// One annotation; `anchor` is where it sits on its document's current revision.
    static func item(
        _ a: Annotation, anchor: Anchor, record: GlossCore.Record, document: Document?, names: [ReplicaID: String]
    ) -> [String: Any] {
        var bodies: [[String: Any]] = []
        if let comment = a.comment {
            bodies.append(["type": "TextualBody", "value": comment, "format": "text/plain", "purpose": "commenting"])
        }
        if let claim = a.claim {
            var value = "Claim: \(claim)"
            if let saidBy = a.saidBy { value += " (said by \(saidBy))" }
            if let c = a.credibility { value += "; credibility \(c): \(Credibility.meaning(c))" }
            bodies.append(["type": "TextualBody", "value": value, "format": "text/plain", "purpose": "assessing"])
        }
        for tag in a.tags {
            bodies.append(["type": "TextualBody", "value": tag, "purpose": "tagging"])
        }
        var selectors: [[String: Any]] = [
            ["type": "TextQuoteSelector", "exact": a.quote.exact, "prefix": a.quote.prefix, "suffix": a.quote.suffix]
        ]
        if anchor.status != .orphan, let position = anchor.position {
            selectors.append(["type": "TextPositionSelector", "start": position.start, "end": position.end])
        }
        var target: [String: Any] = [
            "type": "SpecificResource",
            "source": document?.url ?? "urn:gloss:document:\(a.document)",
            "selector": selectors,
        ]
        // With a URL as source, the scope names the document inside Gloss.
        if let document, document.url != nil { target["scope"] = "urn:gloss:document:\(document.id)" }
        var item: [String: Any] = [
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "urn:gloss:annotation:\(a.id)",
            "type": "Annotation",
            "motivation": a.motivation.rawValue,
            "target": target,
        ]
        if !bodies.isEmpty { item["body"] = bodies.count == 1 ? bodies[0] : bodies }
        if let creator = creator(record, names) { item["creator"] = creator }
        if let created = a.created { item["created"] = iso(created) }
        if let modified = a.modified { item["modified"] = iso(modified) }
        return item
    }

    /// The replica that made the annotation's first write (its lowest-counter dot is the creation).
    static func creator(_ record: GlossCore.Record, _ names: [ReplicaID: String]) -> [String: Any]? {
        let created = record.fields[DomainField.created]?.siblings.first?.dot.replica
            ?? record.fields.values.flatMap { $0.siblings.map(\.dot.replica) }.min()
        guard let replica = created else { return nil }
        return ["id": "urn:gloss:replica:\(replica.rawValue)", "type": "Person", "name": names[replica] ?? replica.short]
    }

    static func iso(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
