import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Every open conflict, in the order the records last changed.
    public func openConflicts() throws -> [Conflict] {
        try read { db in try Self.openConflicts(db) }
    }

    static func openConflicts(_ db: Database) throws -> [Conflict] {
        try Data.fetchAll(db, sql: "SELECT state FROM records WHERE conflicted = 1 ORDER BY seq").flatMap { data in
            try Conflict.conflicts(in: try Record.decode(data)).map { conflict in
                // A delete clears the title: name the record by the last title history knows.
                guard conflict.label == nil else { return conflict }
                let label = try historyStates(conflict.recordID, db).reversed().lazy.compactMap { Conflict.label(of: $0.state) }.first
                return conflict.labeled(label)
            }
        }
    }

    /// The open conflict a person typed: a conflict ID (or a prefix of at least four digits),
    /// `RECORD/FIELD`, or a record ID (or prefix), with `field` choosing among the record's
    /// conflicts when it has several.
    public func conflict(matching query: String, field: String? = nil) throws -> Conflict {
        try read { db in try Self.conflict(matching: query, field: field, db) }
    }

    static func conflict(matching query: String, field: String?, _ db: Database) throws -> Conflict {
        let all = try openConflicts(db)
        let typed = query.trimmingCharacters(in: .whitespaces)
        func filtered(_ list: [Conflict]) -> [Conflict] {
            guard let field else { return list }
            return list.filter { $0.field == field }
        }
        var candidates: [Conflict] = []
        if ConflictID.looksLikeID(typed) { candidates = filtered(all.filter { $0.id.hasPrefix(typed) }) }
        if candidates.isEmpty, let slash = typed.lastIndex(of: "/") {
            let record = String(typed[..<slash]), name = String(typed[typed.index(after: slash)...])
            candidates = all.filter { $0.recordID == record && $0.field == name }
        }
        if candidates.isEmpty {
            let exact = all.filter { $0.recordID == typed }
            candidates = filtered(exact.isEmpty ? all.filter { $0.recordID.hasPrefix(typed) && !typed.isEmpty } : exact)
        }
        guard !candidates.isEmpty else {
            let hint = all.isEmpty ? "there are no open conflicts" : "see the open ones with `gloss conflicts`"
            let what = field.map { "\(typed.debugDescription) with field \($0.debugDescription)" } ?? typed.debugDescription
            throw GlossError(.notFound, "no open conflict matches \(what); \(hint)")
        }
        guard candidates.count == 1 else {
            let list = candidates.prefix(8).map { "\($0.id) (\($0.recordID) \($0.field))" }.joined(separator: ", ")
            throw GlossError(.ambiguous, "\(typed.debugDescription) matches \(candidates.count) open conflicts: \(list); give the conflict ID, or --field FIELD")
        }
        return candidates[0]
    }

    /// The common ancestor of a field conflict's siblings, when local history has it.
    public func ancestor(of conflict: Conflict) throws -> Ancestor? {
        try read { db in try Self.ancestor(of: conflict, local: replicaID, db) }
    }

    static func ancestor(of conflict: Conflict, local: ReplicaID, _ db: Database) throws -> Ancestor? {
        guard conflict.kind == .field, let current = try RecordRow.fetch(conflict.recordID, db)?.record else { return nil }
        let states = try historyStates(conflict.recordID, db)
        return Ancestor.find(field: conflict.field, siblings: conflict.siblings, merged: current.version, local: local, in: states)
    }

    /// For a delete/edit conflict: the last state in local history before the delete (the latest
    /// one that had seen none of the deletes and was not deleted), if any.
    public func stateBeforeDelete(of conflict: Conflict) throws -> GlossCore.Record? {
        try read { db in try Self.stateBeforeDelete(of: conflict, db) }
    }

    static func stateBeforeDelete(of conflict: Conflict, _ db: Database) throws -> Record? {
        guard conflict.kind == .deleteEdit else { return nil }
        let deletes = conflict.deletes
        return try historyStates(conflict.recordID, db).reversed().first { entry in
            !entry.state.isDeleted && !deletes.contains { entry.state.version.covers($0.dot) }
        }?.state
    }

    static func historyStates(_ recordID: String, _ db: Database) throws -> [(state: Record, appliedAt: Int64)] {
        try HistoryChain.rows(of: recordID, db).map { row in (try Record.decode(row.state), row.appliedAt) }
    }
}
