import Foundation

/// The local write that resolves one conflict: computed from the conflict, the chosen strategy
/// and what local history knows, before anything is written. Applying it in one `RecordEdit`
/// covers every sibling (the new dot's vector has seen them all), so once synced the conflict is
/// gone on every replica.
public struct ResolutionPlan: Hashable, Sendable {
    /// One write of the plan.
    public enum Write: Hashable, Sendable {
        /// Set a field.
        case set(String, FieldValue)
        /// Add an element to a set.
        case add(String, to: String)
        /// Delete the record (clears every field and set).
        case delete
    }

    /// The conflict resolved.
    public let conflict: Conflict
    /// The strategy used.
    public let strategy: ResolutionStrategy
    /// The writes, in order.
    public let writes: [Write]
    /// The value chosen for the field (nil for delete/edit).
    public let chosen: FieldValue?
    /// The siblings the resolution replaces.
    public let replaced: [Sibling]
    /// For `keep`: fields and set elements brought back from the last state before the delete.
    public let restored: [String]

    /// Performs the writes on one local operation.
    public func apply(to edit: inout RecordEdit) {
        for write in writes {
            switch write {
            case .set(let field, let value): edit.set(field, value)
            case .add(let element, let set): edit.add(element, to: set)
            case .delete: edit.delete()
            }
        }
    }

    /// Plans the resolution of `conflict` by `strategy` on replica `local`.
    ///
    /// - Parameters:
    ///   - ancestor: the field's value in the common ancestor, when local history has it (for `merge`).
    ///   - preDeleteState: the last state of the record before the delete (for `keep`).
    /// - Throws: `GlossError` (`.conflict` or `.invalidInput`) when the strategy does not fit.
    public static func make(
        _ conflict: Conflict, strategy: ResolutionStrategy, local: ReplicaID,
        current: Record, ancestor: Ancestor? = nil, preDeleteState: Record? = nil
    ) throws -> ResolutionPlan {
        let id = conflict.id
        if conflict.kind == .deleteEdit {
            switch strategy {
            case .delete:
                return ResolutionPlan(conflict: conflict, strategy: strategy, writes: [.delete], chosen: nil,
                                      replaced: conflict.siblings, restored: [])
            case .keep:
                var writes: [Write] = [.set(Record.deletedField, .bool(false))]
                var restored: [String] = []
                if let before = preDeleteState {
                    for (field, register) in before.fields.sorted(by: { $0.key < $1.key })
                    where field != Record.deletedField && current.fields[field] == nil {
                        if let value = register.winner?.value {
                            writes.append(.set(field, value))
                            restored.append(field)
                        }
                    }
                    for (name, set) in before.sets.sorted(by: { $0.key < $1.key }) {
                        for element in set.elements where current.sets[name]?.contains(element) != true {
                            writes.append(.add(element, to: name))
                            restored.append("\(name):\(element)")
                        }
                    }
                }
                return ResolutionPlan(conflict: conflict, strategy: strategy, writes: writes, chosen: nil,
                                      replaced: conflict.siblings, restored: restored)
            default:
                throw GlossError(.conflict, "conflict \(id) is a delete/edit conflict (the \(conflict.recordKind.rawValue) was deleted on one replica and edited on another): resolve it with --keep (restore the record with the edit) or --delete")
            }
        }
        let siblings = conflict.siblings
        let chosen: FieldValue
        switch strategy {
        case .keep, .delete:
            throw GlossError(.conflict, "--\(strategy.name) fits only delete/edit conflicts; conflict \(id) is a conflict on field \(conflict.field): use --ours, --theirs, --pick REPLICA, --value TEXT, --edit or --merge")
        case .ours:
            guard let mine = conflict.sibling(by: local) else {
                throw GlossError(.conflict, "this replica (\(local.short)) wrote none of the values in conflict \(id), so there is no \"ours\": use --pick REPLICA or --value TEXT")
            }
            chosen = mine.value
        case .theirs:
            guard siblings.count == 2 else {
                throw GlossError(.conflict, "--theirs needs exactly two competing values, but conflict \(id) has \(siblings.count): use --pick REPLICA, --value TEXT, --edit or --merge")
            }
            guard let mine = conflict.sibling(by: local) else {
                throw GlossError(.conflict, "this replica (\(local.short)) wrote neither value in conflict \(id), so \"theirs\" is ambiguous: use --pick REPLICA")
            }
            chosen = siblings.first { $0 != mine }!.value
        case .pick(let replica):
            let written = siblings.filter { $0.dot.replica == replica }
            guard !written.isEmpty else {
                throw GlossError(.invalidInput, "replica \(replica.short) wrote no value in conflict \(id)")
            }
            guard Set(written.map(\.value)).count == 1 else {
                throw GlossError(.conflict, "replica \(replica.short) holds several values in conflict \(id) (a reused counter): use --value TEXT or --edit")
            }
            chosen = written[0].value
        case .value(let text), .edited(let text):
            chosen = try typedValue(text, like: siblings, conflictID: id)
        case .merge:
            let texts = siblings.compactMap(\.value.string)
            guard texts.count == siblings.count else {
                throw GlossError(.conflict, "--merge works on text values; conflict \(id) holds non-text values: use --pick REPLICA or --value")
            }
            guard let known = ancestor else {
                throw GlossError(.conflict, "cannot merge conflict \(id): the common ancestor of the values is not in this replica's history (it received them already in conflict). Use --edit, --pick REPLICA or --value TEXT")
            }
            let base = known.value?.string ?? ""
            var merged = texts[0]
            for text in texts.dropFirst() {
                switch ThreeWayMerge.merge(base: base, ours: merged, theirs: text) {
                case .merged(let m): merged = m
                case .conflicts(let hunks):
                    let lines = hunks.map { "line \($0.baseLine)" }.joined(separator: ", ")
                    throw GlossError(.conflict, "cannot merge conflict \(id): the versions change the same lines (\(hunks.count) overlapping hunk\(hunks.count == 1 ? "" : "s") at ancestor \(lines)). Nothing was changed. Use --edit to combine them by hand, or --pick REPLICA / --value TEXT")
                }
            }
            chosen = .string(merged)
        }
        return ResolutionPlan(conflict: conflict, strategy: strategy, writes: [.set(conflict.field, chosen)],
                              chosen: chosen, replaced: siblings, restored: [])
    }

    /// Reads `text` as a value of the siblings' type: an integer field stays an integer.
    static func typedValue(_ text: String, like siblings: [Sibling], conflictID: String) throws -> FieldValue {
        if !siblings.isEmpty, siblings.allSatisfy({ $0.value.int != nil }) {
            guard let i = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw GlossError(.invalidInput, "conflict \(conflictID) is on a whole-number field; \(text.debugDescription) is not a whole number")
            }
            return .int(i)
        }
        if !siblings.isEmpty, siblings.allSatisfy({ $0.value.bool != nil }) {
            switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
            case "true", "yes": return .bool(true)
            case "false", "no": return .bool(false)
            default: throw GlossError(.invalidInput, "conflict \(conflictID) is on a yes/no field; \(text.debugDescription) is neither true nor false")
            }
        }
        return .string(text)
    }
}
