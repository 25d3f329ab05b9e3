import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Full-text search (SQLite FTS5, bm25-ranked) over documents' current text and titles,
    /// annotations' quotes, comments and claims, and notes.
    ///
    /// The filters narrow the matches in SQL (`SearchConditions`) before they are ranked, and the
    /// ranked matches are read until `limit` hits are found, however many there are: a filtered
    /// search finds what passes its filters even when thousands of other records rank above it.
    /// Ranking sorts rowids and ranks only, a page at a time (a sort that keeps the best few is
    /// cheaper than sorting every match, and most searches end within the first page); a next,
    /// larger page is ranked only when a page ran out before `limit` hits were found (matches
    /// the SQL cannot refuse, such as a document's earlier revisions). Snippets (which re-read
    /// the text) and states are read for the matches looked at, best first.
    public func search(_ query: SearchQuery) throws -> [SearchHit] {
        if query.kind == .revision { throw GlossError(.invalidInput, "--kind must be document, annotation or note") }
        let match = try Self.ftsQuery(query.text)
        let documentID = try query.document.map { try resolveID($0, kind: .document) }
        let conditions = SearchConditions(query, documentID: documentID)
        guard conditions.canMatch else { return [] }
        return try withCurrentSearchIndex { db in
            // Ties are ordered by rowid, so pages neither overlap nor leave a match out.
            let ranking = """
                SELECT search.rowid AS rowid, bm25(search, 4.0, 1.0, 2.0) AS rank
                FROM search JOIN records ON records.rowid = search.rowid
                WHERE search MATCH ? AND records.deleted = 0 AND \(conditions.sql)
                ORDER BY rank, search.rowid LIMIT ? OFFSET ?
                """
            let details = try db.cachedStatement(sql: """
                SELECT records.state AS state,
                       snippet(search, 1, '«', '»', '…', 16) AS body, snippet(search, 0, '«', '»', '…', 16) AS titleSnippet,
                       snippet(search, 2, '«', '»', '…', 16) AS tagsSnippet
                FROM search JOIN records ON records.rowid = search.rowid
                WHERE search MATCH ? AND search.rowid = ?
                """)
            var hits: [SearchHit] = []
            var seen = Set<String>()
            var titles: [String: Document] = [:]
            func doc(_ id: String) throws -> Document? {
                if let d = titles[id] { return d }
                let d = try LookupQueries.record(id, db).flatMap(Document.init)
                titles[id] = d
                return d
            }
            var offset = 0
            var pageSize = max(query.limit, 100)
            while true {
                let page = try Row.fetchAll(db, sql: ranking, arguments: [match] + conditions.arguments + [pageSize, offset])
                for candidate in page {
                    let rank: Double = candidate["rank"]
                    guard let row = try Row.fetchOne(details, arguments: [match, candidate["rowid"] as Int64]) else { continue }
                    let record = try Record.decode(row["state"] as Data)
                    let snippet = Self.snippet(body: row["body"], title: row["titleSnippet"], tags: row["tagsSnippet"])
                    var hit: SearchHit? = nil
                    switch record.kind {
                    case .revision:
                        guard let revision = Revision(record), let d = try doc(revision.document), d.head == revision.id else { continue }
                        if let documentID, d.id != documentID { continue }
                        hit = SearchHit(id: d.id, kind: .document, title: d.title, snippet: snippet, rank: rank)
                    case .document:
                        guard let d = Document(record) else { continue }
                        if let documentID, d.id != documentID { continue }
                        hit = SearchHit(id: d.id, kind: .document, title: d.title, snippet: snippet, rank: rank)
                    case .annotation:
                        guard let a = Annotation(record) else { continue }
                        if let documentID, a.document != documentID { continue }
                        if let tag = query.tag, !a.tags.contains(tag) { continue }
                        hit = SearchHit(id: a.id, kind: .annotation, title: try doc(a.document)?.title ?? a.document, snippet: snippet, rank: rank)
                    case .note:
                        guard let n = Note(record) else { continue }
                        if let documentID, !n.citations.contains(where: { $0.document == documentID }) { continue }
                        if let tag = query.tag, !n.tags.contains(tag) { continue }
                        hit = SearchHit(id: n.id, kind: .note, title: n.title, snippet: snippet, rank: rank)
                    }
                    guard let hit, query.kind == nil || hit.kind == query.kind else { continue }
                    if hit.kind == .document && query.tag != nil { continue }  // documents have no tags
                    if seen.insert(hit.id).inserted { hits.append(hit) }
                    if hits.count >= query.limit { return hits }
                }
                if page.count < pageSize { return hits }
                offset += page.count
                pageSize = min(pageSize, Int(Int32.max)) * 4
            }
        }
    }

    /// The snippet of a hit: the column where the query matched (body, else title, else tags,
    /// shown as `tags: …`), so a record found by its tag alone does not show an empty line.
    static func snippet(body: String?, title: String?, tags: String?) -> String {
        let body = body ?? "", title = title ?? "", tags = tags ?? ""
        if body.contains("«") { return body }
        if title.contains("«") { return title }
        if tags.contains("«") { return "tags: " + tags }
        return body.isEmpty ? title : body
    }

    /// Brings the search index up to date with every change so far (searching does it itself);
    /// returns the number of records it looked at. `progress`, when given, is told how many of
    /// the records to look at are done, every `interval` records and once at the end (a catch-up
    /// after a first sync of a million records takes 10-13 s).
    @discardableResult
    public func updateSearchIndex(every interval: Int = 10_000, progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Int {
        try wrapDatabaseErrors { try pool.write { db in try SearchIndexer.catchUp(db, every: interval, progress: progress) } }
    }

    /// Runs `body` on a snapshot whose search index reflects every record in it: a read when the
    /// index is current, else a write transaction that first catches it up.
    func withCurrentSearchIndex<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapDatabaseErrors {
            if let result = try pool.read({ db -> T? in try SearchIndexer.isBehind(db) ? nil : body(db) }) { return result }
            return try pool.write { db in
                try SearchIndexer.catchUp(db)
                return try body(db)
            }
        }
    }

    /// Turns what a person typed into an FTS5 query: every word must occur (each quoted, so
    /// punctuation such as "3,000" or "-" is never read as FTS syntax); "double-quoted parts"
    /// are phrases; a trailing * on a word makes it a prefix.
    static func ftsQuery(_ text: String) throws -> String {
        var parts: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "\"") {
            parts += words(rest[..<open])
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "\"") else {
                parts += words(after)
                rest = ""
                break
            }
            let phrase = after[..<close].trimmingCharacters(in: .whitespaces)
            if !phrase.isEmpty { parts.append("\"" + phrase + "\"") }
            rest = after[after.index(after: close)...]
        }
        parts += words(rest)
        guard !parts.isEmpty else { throw GlossError(.invalidInput, "the search query is empty") }
        return parts.joined(separator: " ")
    }

    private static func words(_ text: Substring) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).compactMap { word in
            var w = String(word).replacingOccurrences(of: "\"", with: "")
            let prefix = w.hasSuffix("*") && w.count > 1
            if prefix { w.removeLast() }
            guard w.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            return "\"" + w + "\"" + (prefix ? "*" : "")
        }
    }
}
