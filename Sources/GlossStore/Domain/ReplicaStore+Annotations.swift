import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Annotates a passage of a document's current revision, with a quote selector (~32 scalars
    /// of context) and a position selector. Clear errors for absent or ambiguous quotes and
    /// offsets outside the text; nothing is written then.
    public func annotate(_ request: AnnotationRequest) throws -> Annotation {
        try DomainValidation.credibility(request.credibility)
        let tags = try request.tags.map(DomainValidation.tag)
        let document = try document(request.document)
        let text = try headText(of: document)
        let position = try Self.locate(request.selection, in: text, document: document)
        let quote = TextQuoteSelector(text: text, start: position.start, end: position.end)
        let motivation = request.motivation ?? (request.claim != nil ? .assessing : request.comment != nil ? .commenting : .highlighting)
        let id = DomainID.annotation()
        let record = try write { w in
            let record = try w.update(id, kind: .annotation) { e in
                e.set(FieldName.document, .string(document.id))
                e.set(DomainField.revision, .string(document.head!))
                e.set(FieldName.exact, .string(quote.exact))
                e.set(DomainField.prefix, .string(quote.prefix))
                e.set(DomainField.suffix, .string(quote.suffix))
                e.set(DomainField.start, .int(Int64(position.start)))
                e.set(DomainField.end, .int(Int64(position.end)))
                e.set(DomainField.motivation, .string(motivation.rawValue))
                e.set(FieldName.comment, request.comment.flatMap { $0.isEmpty ? nil : $0 })
                e.set(FieldName.claim, request.claim.flatMap { $0.isEmpty ? nil : $0 })
                e.set(DomainField.saidBy, request.saidBy.flatMap { $0.isEmpty ? nil : $0 })
                if let credibility = request.credibility { e.set(DomainField.credibility, .int(credibility)) }
                e.set(DomainField.created, .int(w.time))
                for tag in tags { e.add(tag, to: FieldName.tags) }
            }
            try w.db.execute(
                sql: "INSERT OR REPLACE INTO anchors(annotation_id, revision, start, \"end\", status, score) VALUES (?, ?, ?, ?, 'exact', 1)",
                arguments: [id, document.head!, position.start, position.end])
            if let seq = try Int64.fetchOne(w.db, sql: "SELECT seq FROM records WHERE id = ?", arguments: [id]) {
                try AnnotationViews.save(WrittenView.of(record, Annotation.init), seq: seq, w.db)
            }
            return record
        }
        return try WrittenView.of(record, Annotation.init)
    }

    static func locate(_ selection: AnnotationRequest.Selection, in text: ScalarText, document: Document) throws -> TextPositionSelector {
        switch selection {
        case .range(let start, let end):
            guard start >= 0, end <= text.count, start < end else {
                throw GlossError(
                    .invalidInput,
                    "--at \(start):\(end) is outside the text of \(document.id) (\(document.title)): offsets must satisfy 0 ≤ START < END ≤ \(text.count)")
            }
            for offset in [start, end] {
                if let character = Self.characterCut(at: offset, in: text) {
                    let (wholeStart, wholeEnd) = (min(start, character.lowerBound), max(end, character.upperBound))
                    throw GlossError(
                        .invalidInput,
                        "--at \(start):\(end) cuts a character in two at offset \(offset) (\(text.slice(character.lowerBound, character.upperBound).debugDescription) spans \(character.lowerBound)..<\(character.upperBound): a letter with combining marks, an emoji sequence or a flag); use --at \(wholeStart):\(wholeEnd) to include it whole")
                }
            }
            return TextPositionSelector(start: start, end: end)
        case .quote(let quote, let occurrence):
            guard !quote.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GlossError(.invalidInput, "--quote must not be empty")
            }
            let found = QuoteLocator.occurrences(of: quote, in: text)
            if found.isEmpty {
                var message = "the quote \(quote.debugDescription) does not occur in \(document.id) (\(document.title))"
                if let closest = QuoteLocator.closestPassage(to: quote, in: text), closest.similarity >= 0.3 {
                    message += ".\nClosest passage (\(Int(closest.similarity * 100))% similar, at \(closest.position.start):\(closest.position.end)): \(closest.passage.debugDescription)"
                }
                throw GlossError(.notFound, message)
            }
            if let occurrence {
                guard (1...found.count).contains(occurrence) else {
                    throw GlossError(.invalidInput, "--occurrence \(occurrence): the quote occurs \(found.count) time\(found.count == 1 ? "" : "s") in \(document.id)")
                }
                return found[occurrence - 1].position
            }
            if found.count > 1 {
                var list = found.prefix(20).enumerated().map { "  \($0.offset + 1). at \($0.element.position.start):\($0.element.position.end)  \($0.element.context)" }
                if found.count > 20 { list.append("  … and \(found.count - 20) more") }
                throw GlossError(
                    .ambiguous,
                    "the quote occurs \(found.count) times in \(document.id) (\(document.title)); choose one with --occurrence N:\n" + list.joined(separator: "\n"))
            }
            return found[0].position
        }
    }

    /// The scalar range of the character (grapheme cluster) that `offset` falls strictly inside,
    /// or nil when `offset` is between characters. Offsets count scalars, so one could point
    /// between an "e" and its combining accent; an annotation must not start or end there, or
    /// its quote would show a bare accent, half a flag or a broken emoji.
    static func characterCut(at offset: Int, in text: ScalarText) -> Range<Int>? {
        var position = 0
        for character in text.string {
            let next = position + character.unicodeScalars.count
            if offset < next { return offset > position ? position..<next : nil }
            position = next
        }
        return nil
    }

    /// Changes an annotation's motivation, comment or claim.
    public func editAnnotation(_ idOrPrefix: String, _ changes: AnnotationChanges) throws -> Annotation {
        guard !changes.isEmpty else { throw GlossError(.invalidInput, "nothing to change: give --comment, --claim, --said-by, --credibility or --motivation") }
        try DomainValidation.credibility(changes.credibility, allowZero: true)
        let id = try resolveID(idOrPrefix, kind: .annotation)
        return try write { w in
            let record = try w.update(id, kind: .annotation) { e in
                if let m = changes.motivation { e.set(DomainField.motivation, .string(m.rawValue)) }
                for (field, value) in [(FieldName.comment, changes.comment), (FieldName.claim, changes.claim), (DomainField.saidBy, changes.saidBy)] {
                    if let value { e.set(field, value.isEmpty ? nil : value) }
                }
                if let c = changes.credibility {
                    if c == 0 { e.clear(DomainField.credibility) } else { e.set(DomainField.credibility, .int(c)) }
                }
            }
            return try WrittenView.of(record, Annotation.init)
        }
    }

    /// Adds and removes tags of an annotation or a note, in one operation. Returns the tags after.
    public func tag(_ idOrPrefix: String, add: [String], remove: [String]) throws -> [String] {
        let add = try add.map(DomainValidation.tag), remove = try remove.map(DomainValidation.tag)
        guard !add.isEmpty || !remove.isEmpty else { throw GlossError(.invalidInput, "give tags to add (+tag) or remove (-tag)") }
        let id = try resolveID(idOrPrefix)
        return try write { w in
            guard let current = try w.record(id), current.kind == .annotation || current.kind == .note else {
                throw GlossError(.invalidInput, "\(id) is not an annotation or a note; only those have tags")
            }
            let record = try w.update(id, kind: current.kind) { e in
                for tag in remove { e.remove(tag, from: FieldName.tags) }
                for tag in add { e.add(tag, to: FieldName.tags) }
            }
            return record.elements(FieldName.tags)
        }
    }

    /// Deletes an annotation, a note, or a document with its revisions and annotations. Notes
    /// citing deleted annotations keep their own copy of the quote. Returns the kind deleted and
    /// how many records in all.
    public func delete(_ idOrPrefix: String) throws -> (kind: RecordKind, count: Int) {
        let id = try resolveID(idOrPrefix)
        return try write { w in
            guard let current = try w.record(id) else { throw GlossError(.notFound, "no record \(idOrPrefix)") }
            var ids = [id]
            if current.kind == .document {
                ids += try String.fetchAll(
                    w.db, sql: "SELECT id FROM records WHERE parent = ? AND deleted = 0 AND kind IN ('annotation', 'revision') ORDER BY rowid",
                    arguments: [id])
            } else if current.kind == .revision {
                throw GlossError(.invalidInput, "\(id) is a revision; revisions are immutable (delete the document instead)")
            }
            for target in ids {
                guard let record = try w.record(target) else { continue }
                try w.update(target, kind: record.kind) { $0.delete() }
            }
            let list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
            try w.db.execute(sql: "DELETE FROM anchors WHERE annotation_id IN (SELECT value FROM json_each(?))", arguments: [list])
            try w.db.execute(sql: "DELETE FROM annotation_views WHERE annotation_id IN (SELECT value FROM json_each(?))", arguments: [list])
            return (current.kind, ids.count)
        }
    }
}
