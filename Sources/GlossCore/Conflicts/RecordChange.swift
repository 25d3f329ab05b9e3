/// What one state of a record changed compared with the state before it, for `gloss log`.
public struct RecordChange: Hashable, Sendable {
    /// A field whose values changed.
    public struct FieldChange: Hashable, Sendable {
        /// The field.
        public let field: String
        /// Its distinct values before (several when it was in conflict).
        public let before: [FieldValue]
        /// Its distinct values after.
        public let after: [FieldValue]
    }

    /// A set whose elements changed.
    public struct SetChange: Hashable, Sendable {
        /// The set.
        public let name: String
        /// Elements added.
        public let added: [String]
        /// Elements removed.
        public let removed: [String]
    }

    /// Fields whose values changed, by name.
    public let fields: [FieldChange]
    /// Sets whose elements changed, by name.
    public let sets: [SetChange]
    /// True when this state created the record.
    public let created: Bool
    /// True when this state deleted the record; false when it restored it; nil otherwise.
    public let deleted: Bool?
    /// Fields in conflict before and settled after (by a write that covered every sibling).
    public let resolvedFields: [String]
    /// Fields that became conflicted in this state.
    public let conflictedFields: [String]
    /// True when a delete/edit conflict was settled (by keep or delete).
    public let resolvedDeleteEdit: Bool

    /// The change from `previous` (nil for the first state) to `state`.
    public init(from previous: Record?, to state: Record) {
        created = previous == nil
        var fields: [FieldChange] = []
        let names = Set(previous?.fields.keys.map { $0 } ?? []).union(state.fields.keys)
        for name in names.sorted() where name != Record.deletedField {
            let before = Self.values(previous?.fields[name]), after = Self.values(state.fields[name])
            if before != after { fields.append(FieldChange(field: name, before: before, after: after)) }
        }
        self.fields = fields
        var sets: [SetChange] = []
        let setNames = Set(previous?.sets.keys.map { $0 } ?? []).union(state.sets.keys)
        for name in setNames.sorted() {
            let before = Set(previous?.elements(name) ?? []), after = Set(state.elements(name))
            if before != after {
                sets.append(SetChange(name: name, added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted()))
            }
        }
        self.sets = sets
        let wasDeleted = previous?.isDeleted ?? false
        deleted = wasDeleted == state.isDeleted ? nil : state.isDeleted
        let before = Set(previous?.conflictedFields ?? []), after = Set(state.conflictedFields)
        resolvedFields = before.subtracting(after).sorted()
        conflictedFields = after.subtracting(before).sorted()
        resolvedDeleteEdit = (previous?.hasDeleteEditConflict ?? false) && !state.hasDeleteEditConflict
    }

    /// True when nothing visible changed (e.g. a state that only advanced the vector).
    public var isEmpty: Bool {
        fields.isEmpty && sets.isEmpty && deleted == nil && resolvedFields.isEmpty && conflictedFields.isEmpty && !resolvedDeleteEdit
    }

    private static func values(_ register: MultiValueRegister?) -> [FieldValue] {
        var seen: [FieldValue] = []
        for s in register?.siblings ?? [] where !seen.contains(s.value) { seen.append(s.value) }
        return seen
    }
}
