import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Every record of every kind (deleted ones included when `includeDeleted`): what
    /// `records(kind:)` returns for each kind of `RecordKind.allCases` in turn, in the same
    /// order, read in one statement instead of one read per kind.
    public func allRecords(includeDeleted: Bool = false) throws -> [GlossCore.Record] {
        let records = try readOneStatement { db in
            let sql = "SELECT state FROM records" + (includeDeleted ? "" : " WHERE deleted = 0") + " ORDER BY rowid"
            return try Data.fetchAll(db.cachedStatement(sql: sql)).map { try Record.decode($0) }
        }
        return RecordKind.allCases.flatMap { kind in records.filter { $0.kind == kind } }
    }
}
