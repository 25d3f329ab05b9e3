import Foundation
import GRDB
import GlossCore

/// A conflict resolution recorded in this replica's history: who resolved, how, which values
/// were replaced and which was chosen.
public struct Resolution: Sendable, Hashable {
    /// The record.
    public let recordID: String
    /// The field (`deleted` for a delete/edit conflict).
    public let field: String
    /// When it was resolved (ms since 1970).
    public let resolvedAt: Int64
    /// The replica that resolved it.
    public let replica: ReplicaID
    /// The strategy's name (ours, theirs, pick, value, edit, merge, keep, delete).
    public let strategy: String
    /// The siblings the resolution replaced.
    public let replaced: [Sibling]
    /// The value chosen (nil for keep/delete).
    public let chosen: FieldValue?
    /// The feed position of the resolving write (matches its history entry).
    public let seq: Int64

    static func insert(_ plan: ResolutionPlan, replica: ReplicaID, at time: Int64, seq: Int64, _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let replaced = String(decoding: try encoder.encode(plan.replaced), as: UTF8.self)
        let chosen = try plan.chosen.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try db.execute(
            sql: """
                INSERT INTO resolutions(record_id, field, resolved_at, replica, strategy, replaced, chosen, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [plan.conflict.recordID, plan.conflict.field, time, replica.rawValue, plan.strategy.name, replaced, chosen, seq])
    }

    init(row: Row) throws {
        recordID = row["record_id"]
        field = row["field"]
        resolvedAt = row["resolved_at"]
        guard let replica = ReplicaID(row["replica"]) else {
            throw GlossError(.io, "a resolution row of \(recordID) names an invalid replica")
        }
        self.replica = replica
        strategy = row["strategy"]
        let decoder = JSONDecoder()
        let replacedText: String = row["replaced"]
        replaced = try decoder.decode([Sibling].self, from: Data(replacedText.utf8))
        let chosenText: String? = row["chosen"]
        chosen = try chosenText.map { try decoder.decode(FieldValue.self, from: Data($0.utf8)) }
        seq = row["seq"]
    }
}

extension ReplicaStore {
    /// The resolutions made on this replica, of one record or of all, oldest first.
    public func resolutions(of recordID: String? = nil) throws -> [Resolution] {
        try read { db in
            let sql = "SELECT * FROM resolutions" + (recordID == nil ? "" : " WHERE record_id = ?") + " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(recordID.map { [$0] } ?? []))
                .map(Resolution.init(row:))
        }
    }
}
