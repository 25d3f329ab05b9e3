import GRDB
import GlossCore

/// The SQL conditions that narrow a search's full-text matches to the records its filters
/// (kind, tag, document) can accept, so the ranking is made among those alone.
///
/// They are applied in the query, before ranking: filtering ranked rows afterwards meant that a
/// filtered search on a store with more matches than were ranked (2,000) missed every record
/// passing the filters that ranked below them. Each condition only leaves out records the
/// filters would refuse; what they cannot say in SQL (a revision being its document's current
/// one, a note citing the document) `ReplicaStore.search` checks on the decoded record.
struct SearchConditions {
    /// `AND`-joined conditions on `search` and `records`.
    let sql: String
    /// Their arguments, in order.
    let arguments: StatementArguments
    /// False when no record can pass the filters (documents under a tag filter).
    let canMatch: Bool

    init(_ query: SearchQuery, documentID: String?) {
        var kinds: [RecordKind]
        switch query.kind {
        case nil: kinds = [.document, .revision, .annotation, .note]
        // A document is found by its title (document record) or its current text (revision).
        case .document?: kinds = [.document, .revision]
        case .revision?: kinds = []  // not a kind of result (`search` refuses it)
        case .annotation?: kinds = [.annotation]
        case .note?: kinds = [.note]
        }
        // Documents have no tags.
        if query.tag != nil { kinds.removeAll { $0 == .document || $0 == .revision } }
        canMatch = !kinds.isEmpty

        var conditions = ["records.kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))"]
        var arguments = StatementArguments(kinds.map(\.rawValue))
        if let documentID {
            // The document itself, its revisions and annotations (`parent`); notes cite it in
            // their state, so every note is left to the check on the decoded note.
            conditions.append("(records.id = ? OR records.parent = ? OR records.kind = 'note')")
            arguments += [documentID, documentID]
        }
        if let tag = query.tag {
            // The index's `tags` column is the record's tags joined by spaces: a record with the
            // tag holds it between two spaces once padded (a tag from a peer with a space in it
            // may match more, which the check on the decoded record refuses).
            conditions.append("instr(' ' || search.tags || ' ', ' ' || ? || ' ') > 0")
            arguments += [tag]
        }
        sql = conditions.joined(separator: " AND ")
        self.arguments = arguments
    }
}
