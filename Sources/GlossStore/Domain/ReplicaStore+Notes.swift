import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Writes a new note citing annotations (each citation keeps a copy of the quote and source).
    /// An annotation named more than once (by its ID or by prefixes of it) is cited once, where it
    /// is first named.
    public func addNote(title: String, body: String, cite: [String], tags: [String]) throws -> Note {
        guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw GlossError(.invalidInput, "a note needs a title (--title)")
        }
        let tags = try tags.map(DomainValidation.tag)
        let citations = try citationsFor(cite, startingAt: 1)
        let id = DomainID.note()
        return try write { w in
            let record = try w.update(id, kind: .note) { e in
                e.set(FieldName.title, .string(title))
                e.set(FieldName.body, .string(body))
                e.set(DomainField.created, .int(w.time))
                for tag in tags { e.add(tag, to: FieldName.tags) }
                for citation in citations { e.add(citation.element, to: DomainField.citations) }
            }
            return try WrittenView.of(record, Note.init)
        }
    }

    /// The annotation that `name` (an ID or a prefix of one) names among the note's citations: the
    /// exact ID, or the one cited annotation it is a prefix of. Cited annotations may since have
    /// been deleted, so this looks at the citations, not at the store.
    static func citedAnnotation(_ name: String, in note: Note) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw GlossError(.invalidInput, "--uncite needs an annotation ID, not an empty one") }
        let cited = Set(note.citations.map(\.annotation))
        if cited.contains(trimmed) { return trimmed }
        let matches = cited.filter { $0.hasPrefix(trimmed) }.sorted()
        guard let first = matches.first else { throw GlossError(.notFound, "note \(note.id) does not cite \(trimmed)") }
        guard matches.count == 1 else {
            throw GlossError(
                .ambiguous, "\(trimmed.debugDescription) matches several annotations this note cites: \(matches.joined(separator: ", ")); type more of the ID")
        }
        return first
    }

    /// Changes a note: title and body when given, citations added and removed (by annotation ID).
    /// Citing an annotation the note already cites (and does not uncite in the same edit) is bad
    /// input, like uniciting one it does not cite: an error that names it, and nothing changes.
    /// One named several times in `cite` is cited once.
    public func editNote(_ idOrPrefix: String, title: String?, body: String?, cite: [String], uncite: [String]) throws -> Note {
        guard title != nil || body != nil || !cite.isEmpty || !uncite.isEmpty else {
            throw GlossError(.invalidInput, "nothing to change: give --title, --body, --file, --cite or --uncite")
        }
        if let title, title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw GlossError(.invalidInput, "a note's title must not be empty")
        }
        let current = try note(idOrPrefix)
        var removed: [Citation] = []
        for name in uncite {
            let annotation = try Self.citedAnnotation(name, in: current)
            removed += current.citations.filter { $0.annotation == annotation }
        }
        let added = try citationsFor(cite, startingAt: (current.citations.map(\.order).max() ?? 0) + 1)
        let kept = Set(current.citations.map(\.annotation)).subtracting(removed.map(\.annotation))
        if let again = added.first(where: { kept.contains($0.annotation) }) {
            throw GlossError(.invalidInput, "note \(current.id) already cites \(again.annotation); nothing changed")
        }
        return try write { w in
            let record = try w.update(current.id, kind: .note) { e in
                if let title { e.set(FieldName.title, .string(title)) }
                if let body { e.set(FieldName.body, .string(body)) }
                for citation in removed { e.remove(citation.element, from: DomainField.citations) }
                for citation in added { e.add(citation.element, to: DomainField.citations) }
            }
            return try WrittenView.of(record, Note.init)
        }
    }

    /// Citations of the annotations `names` names, numbered from `first`, each annotation once
    /// (where it is first named: prefixes are resolved before comparing).
    private func citationsFor(_ names: [String], startingAt first: Int) throws -> [Citation] {
        var result: [Citation] = []
        var cited: Set<String> = []
        for name in names {
            let annotation = try annotation(name)
            guard cited.insert(annotation.id).inserted else { continue }
            let document = try document(annotation.document)
            result.append(Citation(
                annotation: annotation.id, order: first + result.count, quote: annotation.quote.exact, document: document.id,
                title: document.title, publisher: document.publisher, author: document.author, url: document.url,
                published: document.published, accessed: document.accessed, grade: document.grade))
        }
        return result
    }
}
