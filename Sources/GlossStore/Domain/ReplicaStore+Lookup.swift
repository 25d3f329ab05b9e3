import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// The full ID of the live record that `text` names: an exact ID or a unique prefix,
    /// optionally of one kind. Clear errors when nothing or several things match.
    public func resolveID(_ text: String, kind: RecordKind? = nil) throws -> String {
        try read { db in try LookupQueries.resolve(text, kind: kind, db) }
    }

    /// The live document `idOrPrefix` names.
    public func document(_ idOrPrefix: String) throws -> Document {
        let id = try resolveID(idOrPrefix, kind: .document)
        guard let record = try record(id), let document = Document(record) else {
            throw GlossError(.notFound, "no document \(idOrPrefix)")
        }
        return document
    }

    /// The live annotation `idOrPrefix` names.
    public func annotation(_ idOrPrefix: String) throws -> Annotation {
        let id = try resolveID(idOrPrefix, kind: .annotation)
        guard let record = try record(id), let annotation = Annotation(record) else {
            throw GlossError(.notFound, "no annotation \(idOrPrefix)")
        }
        return annotation
    }

    /// The live note `idOrPrefix` names.
    public func note(_ idOrPrefix: String) throws -> Note {
        let id = try resolveID(idOrPrefix, kind: .note)
        guard let record = try record(id), let note = Note(record) else {
            throw GlossError(.notFound, "no note \(idOrPrefix)")
        }
        return note
    }

    /// A revision by full ID, if this replica has it.
    public func revision(_ id: String) throws -> Revision? {
        try record(id).flatMap(Revision.init)
    }

    /// Every revision of `document` this replica has: the current one, then back along each
    /// one's `previous` (a revision met twice is listed once, so a cycle from a peer ends the
    /// walk), then any others, oldest first (a document revised back to an earlier text has a
    /// head whose `previous` does not lead to the revisions made in between).
    public func revisions(of document: Document) throws -> [Revision] {
        try read { db in
            let all = try Data.fetchAll(
                db, sql: "SELECT state FROM records WHERE kind = 'revision' AND parent = ? AND deleted = 0",
                arguments: [document.id]
            ).compactMap { try Revision(Record.decode($0)) }
            let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var listed: [Revision] = []
            var seen: Set<String> = []
            var next = document.head
            while let id = next, let revision = byID[id], seen.insert(id).inserted {
                listed.append(revision)
                next = revision.previous
            }
            let rest = all.filter { !seen.contains($0.id) }
                .sorted { ($0.created ?? 0, $0.id) < ($1.created ?? 0, $1.id) }
            return listed + rest
        }
    }

    /// Live documents, oldest first.
    public func documents() throws -> [Document] {
        try records(kind: .document).compactMap(Document.init)
    }

    /// Live annotations (of one document when given), oldest first.
    public func annotations(document: String? = nil) throws -> [Annotation] {
        try read { db in try LookupQueries.annotations(document: document, db) }
    }

    /// Live notes, oldest first.
    public func notes() throws -> [Note] {
        try records(kind: .note).compactMap(Note.init)
    }
}

/// Queries shared by the domain extensions, usable inside a read or a write transaction.
enum LookupQueries {
    static func resolve(_ text: String, kind: RecordKind?, _ db: Database) throws -> String {
        let what = kind?.rawValue ?? "record"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw GlossError(.invalidInput, "an empty \(what) ID") }
        let escaped = trimmed.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        var sql = "SELECT id FROM records WHERE deleted = 0 AND id LIKE ? ESCAPE '\\'"
        var arguments: StatementArguments = [escaped + "%"]
        if let kind {
            sql += " AND kind = ?"
            arguments += [kind.rawValue]
        }
        // An exact ID is found through the primary key; the prefix search below scans.
        if let exact = try String.fetchOne(
            db, sql: "SELECT id FROM records WHERE id = ? AND deleted = 0" + (kind == nil ? "" : " AND kind = ?"),
            arguments: kind.map { [trimmed, $0.rawValue] } ?? [trimmed])
        {
            return exact
        }
        let ids = try String.fetchAll(db, sql: sql + " ORDER BY id LIMIT 11", arguments: arguments)
        if ids.contains(trimmed) { return trimmed }
        if ids.count == 1 { return ids[0] }
        if ids.isEmpty {
            // The ID of another kind of record (`gloss edit d-…`): say what it is.
            if kind != nil, let other = try? resolve(trimmed, kind: nil, db), let found = try record(other, db) {
                throw GlossError(.notFound, "\(other) is \(found.kind == .annotation ? "an" : "a") \(found.kind.rawValue), not \(what == "annotation" ? "an" : "a") \(what)")
            }
            let list = kind == .note ? "note list" : kind == .annotation ? "show DOCUMENT` or `gloss search" : "docs"
            throw GlossError(.notFound, "no \(what) \(trimmed.debugDescription) in this store (see `gloss \(list)`)")
        }
        throw GlossError(
            .ambiguous,
            "\(trimmed.debugDescription) matches several \(what)s: \(ids.prefix(10).joined(separator: ", "))\(ids.count > 10 ? ", …" : ""); type more of the ID")
    }

    static func record(_ id: String, _ db: Database) throws -> Record? {
        guard let data = try Data.fetchOne(db, sql: "SELECT state FROM records WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try Record.decode(data)
    }

    /// The current text of `document`; a clear error when it has not reached this replica.
    static func headText(of document: Document, _ db: Database) throws -> ScalarText {
        guard let head = document.head, let revision = try RecordRow.fetch(head, db).flatMap({ Revision($0.record) }) else {
            throw GlossError(.notFound, "the text of \(document.id) (\(document.title)) has not reached this replica yet")
        }
        return ScalarText(revision.text)
    }

    static func annotations(document: String?, _ db: Database) throws -> [Annotation] {
        var sql = "SELECT state FROM records WHERE kind = 'annotation' AND deleted = 0"
        var arguments: StatementArguments = []
        if let document {
            sql += " AND parent = ?"
            arguments += [document]
        }
        return try Data.fetchAll(db, sql: sql + " ORDER BY rowid", arguments: arguments)
            .compactMap { try Annotation(Record.decode($0)) }
    }

    /// The live document whose head revision has text hashing to `sha256`, if any.
    static func documentWithHead(sha256: String, _ db: Database) throws -> Document? {
        let ids = try String.fetchAll(
            db, sql: "SELECT id FROM records WHERE kind = 'revision' AND id LIKE ?", arguments: ["r-" + sha256.prefix(32) + ".%"])
        for id in ids {
            guard let docID = id.split(separator: ".", maxSplits: 1).last.map(String.init),
                let record = try record(docID, db), let document = Document(record), document.head == id
            else { continue }
            return document
        }
        return nil
    }
}
