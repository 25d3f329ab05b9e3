import Foundation
import GRDB
import GlossCore

extension ReplicaStore {
    /// Resolves `conflict` with `strategy`: one ordinary local write that covers every sibling,
    /// plus a row in `resolutions`, in one transaction. Nothing is written when the strategy
    /// does not fit (the error says why), or when the conflict changed since it was read.
    @discardableResult
    public func resolve(_ conflict: Conflict, strategy: ResolutionStrategy) throws -> ResolutionOutcome {
        try write { w in
            guard let current = try w.record(conflict.recordID),
                  let fresh = Conflict.conflicts(in: current).first(where: { $0.id == conflict.id }).map({ $0.labeled($0.label ?? conflict.label) })
            else {
                throw GlossError(.notFound, "conflict \(conflict.id) is no longer open (resolved or changed by a sync since it was listed); nothing was changed")
            }
            // The label may change without the conflict changing; the competing writes may not.
            guard fresh.siblings == conflict.siblings, fresh.editedFields == conflict.editedFields,
                  fresh.editedSets == conflict.editedSets else {
                throw GlossError(.conflict, "conflict \(conflict.id) changed since it was shown (a sync brought new values); look at it again with `gloss conflicts show \(conflict.id)`; nothing was changed")
            }
            let ancestor = strategy == .merge ? try Self.ancestor(of: fresh, local: replicaID, w.db) : nil
            let before = strategy == .keep ? try Self.stateBeforeDelete(of: fresh, w.db) : nil
            let plan = try ResolutionPlan.make(
                fresh, strategy: strategy, local: replicaID, current: current, ancestor: ancestor, preDeleteState: before)
            // A value typed by the resolver is checked as the command writing that field checks it.
            switch strategy {
            case .value, .edited:
                if let chosen = plan.chosen { try DomainValidation.typedValue(chosen, field: fresh.field, kind: fresh.recordKind) }
            default:
                break
            }
            let record = try w.update(fresh.recordID, kind: fresh.recordKind) { e in plan.apply(to: &e) }
            let seq = try Int64.fetchOne(w.db, sql: "SELECT seq FROM records WHERE id = ?", arguments: [fresh.recordID]) ?? 0
            try Resolution.insert(plan, replica: replicaID, at: w.time, seq: seq, w.db)
            return ResolutionOutcome(plan: plan, record: record, remaining: Conflict.conflicts(in: record))
        }
    }
}
