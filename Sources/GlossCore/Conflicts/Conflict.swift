/// One open conflict in a record, derived from its state: a field whose siblings disagree, or a
/// delete that met a concurrent edit. Every replica holding the same state derives the same
/// conflicts with the same IDs.
public struct Conflict: Hashable, Sendable {
    /// What kind of conflict this is.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A field holds several different values written concurrently.
        case field
        /// The record was deleted on one replica and edited concurrently on another.
        case deleteEdit = "delete-edit"
    }

    /// The stable, typeable ID (see `ConflictID`).
    public let id: String
    /// The record in conflict.
    public let recordID: String
    /// The record's kind.
    public let recordKind: RecordKind
    /// A human label for the record: its title, else its quote (`exact`), if any.
    public let label: String?
    /// Field conflict or delete/edit conflict.
    public let kind: Kind
    /// The conflicted field; `deleted` for a delete/edit conflict.
    public let field: String
    /// The competing siblings of the field (for delete/edit: the siblings of `deleted`), sorted by dot.
    public let siblings: [Sibling]
    /// For delete/edit: the fields that survived the delete because they were written
    /// concurrently with it, with their siblings.
    public let editedFields: [String: [Sibling]]
    /// For delete/edit: the set elements that survived the delete, with the writes that added them.
    public let editedSets: [String: [String: [Dot]]]

    /// Every open conflict of `record`: delete/edit first, then fields by name.
    public static func conflicts(in record: Record) -> [Conflict] {
        let label = Conflict.label(of: record)
        var result: [Conflict] = []
        let deletedRegister = record.fields[Record.deletedField]
        if record.hasDeleteEditConflict || deletedRegister?.isConflicted == true {
            var edited: [String: [Sibling]] = [:]
            for (name, register) in record.fields where name != Record.deletedField { edited[name] = register.siblings }
            var sets: [String: [String: [Dot]]] = [:]
            for (name, set) in record.sets { sets[name] = set.entries.mapValues { $0.sorted() } }
            result.append(Conflict(
                id: ConflictID.make(recordID: record.id, field: Record.deletedField), recordID: record.id,
                recordKind: record.kind, label: label, kind: .deleteEdit, field: Record.deletedField,
                siblings: deletedRegister?.siblings ?? [], editedFields: edited, editedSets: sets))
        }
        for field in record.conflictedFields where field != Record.deletedField {
            result.append(Conflict(
                id: ConflictID.make(recordID: record.id, field: field), recordID: record.id, recordKind: record.kind,
                label: label, kind: .field, field: field, siblings: record.fields[field]?.siblings ?? [],
                editedFields: [:], editedSets: [:]))
        }
        return result
    }

    /// The same conflict with another label (e.g. the title a deleted record had, from history).
    public func labeled(_ label: String?) -> Conflict {
        Conflict(id: id, recordID: recordID, recordKind: recordKind, label: label, kind: kind, field: field,
                 siblings: siblings, editedFields: editedFields, editedSets: editedSets)
    }

    /// The record's title, else its quote.
    public static func label(of record: Record) -> String? {
        record.string(FieldName.title) ?? record.string(FieldName.exact)
    }

    /// The replicas that wrote the competing siblings (for delete/edit: who deleted and who
    /// edited), without duplicates, in dot order.
    public var replicas: [ReplicaID] {
        var seen: [ReplicaID] = []
        var dots = siblings.map(\.dot)
        if kind == .deleteEdit {
            dots += editedFields.values.flatMap { $0.map(\.dot) }
            dots += editedSets.values.flatMap { $0.values.flatMap { $0 } }
        }
        for dot in dots.sorted() where !seen.contains(dot.replica) { seen.append(dot.replica) }
        return seen
    }

    /// For delete/edit: the writes that deleted the record.
    public var deletes: [Sibling] { kind == .deleteEdit ? siblings.filter { $0.value == .bool(true) } : [] }

    /// The sibling written by `replica`, when exactly one is.
    public func sibling(by replica: ReplicaID) -> Sibling? {
        let mine = siblings.filter { $0.dot.replica == replica }
        return mine.count == 1 ? mine[0] : nil
    }

    /// The replica among this conflict's writers that `query` names: a replica name from
    /// `names` (exact, case-insensitive) or a prefix of its ID. Throws when none or several match.
    public func replica(matching query: String, names: [ReplicaID: String]) throws -> ReplicaID {
        let writers = replicas
        let q = query.lowercased()
        var matches = writers.filter { names[$0]?.lowercased() == q }
        if matches.isEmpty, !q.isEmpty { matches = writers.filter { $0.rawValue.hasPrefix(q) } }
        let known = writers.map { id in names[id].map { "\($0) (\(id.short))" } ?? id.short }.joined(separator: ", ")
        guard !matches.isEmpty else {
            throw GlossError(.invalidInput, "no replica named \(query.debugDescription) wrote a value in conflict \(id); the writers are: \(known)")
        }
        guard matches.count == 1 else {
            throw GlossError(.ambiguous, "\(query.debugDescription) matches several writers of conflict \(id): \(known); type more of the replica ID")
        }
        return matches[0]
    }
}
