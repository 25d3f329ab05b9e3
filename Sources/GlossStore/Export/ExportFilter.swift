import GlossCore

/// Which part of the store an export covers (all of it when every filter is nil).
public struct ExportFilter: Sendable {
    /// Only this document, its annotations, and notes citing it.
    public var document: String?
    /// Only this note and the annotations it cites.
    public var note: String?
    /// Only annotations and notes with this tag.
    public var tag: String?

    /// A filter with the given parts.
    public init(document: String? = nil, note: String? = nil, tag: String? = nil) {
        self.document = document
        self.note = note
        self.tag = tag
    }
}

/// The records an export covers, resolved from a filter.
struct ExportSelection {
    var documents: [Document]
    var annotations: [Annotation]
    var notes: [Note]

    init(_ store: ReplicaStore, _ filter: ExportFilter) throws {
        let docID = try filter.document.map { try store.resolveID($0, kind: .document) }
        let noteID = try filter.note.map { try store.resolveID($0, kind: .note) }
        var notes = try store.notes()
        var annotations = try store.annotations()
        if let noteID {
            notes = notes.filter { $0.id == noteID }
            let cited = Set(notes.flatMap { $0.citations.map(\.annotation) })
            annotations = annotations.filter { cited.contains($0.id) }
        }
        if let docID {
            annotations = annotations.filter { $0.document == docID }
            notes = notes.filter { $0.citations.contains { $0.document == docID } }
        }
        if let tag = filter.tag {
            annotations = annotations.filter { $0.tags.contains(tag) }
            notes = notes.filter { $0.tags.contains(tag) }
        }
        let docIDs = Set(annotations.map(\.document)).union(notes.flatMap { $0.citations.map(\.document) })
        documents = try store.documents().filter { docID == nil && noteID == nil && filter.tag == nil ? true : docIDs.contains($0.id) || $0.id == docID }
        self.annotations = annotations
        self.notes = notes
    }

    /// Oldest first by the synced `created` time (records without one first), then by ID: the
    /// same on every replica holding the same records, whatever order they arrived in. Every
    /// export lists records so. Records imported together share a time: they come in ID order,
    /// which is arbitrary but the same everywhere.
    static func order<T>(_ items: [T], created: (T) -> Int64?, id: (T) -> String) -> [T] {
        items.sorted { (created($0) ?? .min, id($0)) < (created($1) ?? .min, id($1)) }
    }

    /// Where each selected document's live annotations sit on its current revision (computing
    /// missing anchors first), by annotation ID.
    func anchors(_ store: ReplicaStore) throws -> [String: Anchor] {
        var anchors: [String: Anchor] = [:]
        for document in documents {
            for anchored in try store.anchoredAnnotations(document: document.id) { anchors[anchored.annotation.id] = anchored.anchor }
        }
        return anchors
    }
}
