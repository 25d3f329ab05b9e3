/// One syncable thing (document, revision, annotation, note): a map of causal registers and
/// add-wins sets under one version vector.
///
/// `merge` is a join (commutative, associative, idempotent): every replica that has seen the same
/// writes holds the same `Record`, whatever the order or duplication of deliveries.
public struct Record: Hashable, Sendable {
    /// Stable random ID (never an autoincrement).
    public let id: String
    /// What the record is.
    public let kind: RecordKind
    /// The record's causal context: every write it reflects.
    public private(set) var version: VersionVector
    /// Named fields; no field is empty.
    public private(set) var fields: [String: MultiValueRegister]
    /// Named add-wins sets; no set is empty.
    public private(set) var sets: [String: AddWinsSet]

    /// The name of the field a delete writes.
    public static let deletedField = "deleted"

    /// A record with no writes yet.
    public init(id: String, kind: RecordKind) {
        self.init(id: id, kind: kind, version: VersionVector(), fields: [:], sets: [:])
    }

    /// A record with the given state (empty fields and sets are dropped).
    public init(
        id: String, kind: RecordKind, version: VersionVector,
        fields: [String: MultiValueRegister], sets: [String: AddWinsSet]
    ) {
        self.id = id
        self.kind = kind
        self.version = version
        // Filtering copies the dictionaries: only do it when there is something to drop.
        self.fields = fields.values.contains(where: \.isEmpty) ? fields.filter { !$0.value.isEmpty } : fields
        self.sets = sets.values.contains(where: \.isEmpty) ? sets.filter { !$0.value.isEmpty } : sets
    }

    // MARK: Reading

    /// The winning value of `field` (the sibling with the greatest dot), if any.
    public func value(_ field: String) -> FieldValue? { fields[field]?.winner?.value }

    /// The winning value of `field` as text.
    public func string(_ field: String) -> String? { value(field)?.string }

    /// The winning value of `field` as an integer.
    public func int(_ field: String) -> Int64? { value(field)?.int }

    /// The elements of the set `name`, sorted.
    public func elements(_ name: String) -> [String] { sets[name]?.elements ?? [] }

    /// True when the record is deleted (its `deleted` field wins with `true`).
    public var isDeleted: Bool { value(Record.deletedField)?.bool == true }

    /// True when `other` holds the same values: in each field the same values (however many
    /// siblings of each), in each set the same elements, whatever their dots and the versions.
    /// A local operation that leaves a record's content so changes nothing a reader could see.
    public func hasSameContent(as other: Record) -> Bool {
        guard kind == other.kind, fields.count == other.fields.count, sets.count == other.sets.count else { return false }
        func counts(_ register: MultiValueRegister) -> [FieldValue: Int] {
            register.siblings.reduce(into: [:]) { $0[$1.value, default: 0] += 1 }
        }
        for (name, register) in fields {
            guard let theirs = other.fields[name], counts(register) == counts(theirs) else { return false }
        }
        for (name, set) in sets {
            guard let theirs = other.sets[name], set.entries.keys.sorted() == theirs.entries.keys.sorted() else { return false }
        }
        return true
    }

    /// Fields whose siblings disagree.
    public var conflictedFields: [String] { fields.filter { $0.value.isConflicted }.keys.sorted() }

    /// True when the record is deleted on one replica while another edited it concurrently: the
    /// edit survives the merge beside the delete.
    public var hasDeleteEditConflict: Bool {
        isDeleted && (fields.contains { $0.key != Record.deletedField } || !sets.isEmpty)
    }

    /// True when any field is conflicted or a delete met a concurrent edit.
    public var isConflicted: Bool {
        hasDeleteEditConflict || fields.values.contains { $0.isConflicted }
    }

    /// True when one dot carries two different values somewhere in the record (counter reuse).
    public var hasDotCollision: Bool { fields.values.contains { $0.hasDotCollision } }

    /// Wall-clock times of the earliest and latest writes still visible (milliseconds).
    public var timeRange: (first: Int64, last: Int64)? {
        let times = fields.values.flatMap { $0.siblings.map(\.time) }
        guard let first = times.min(), let last = times.max() else { return nil }
        return (first, last)
    }

    // MARK: Merging

    /// The join of two states of the same record.
    public func merged(with other: Record) -> Record {
        precondition(id == other.id, "merging different records")
        if self == other { return self }
        // A value one side holds is dropped when the other side's vector covers its dot but the
        // other side does not hold it (it saw the write, then a later write replaced it). That
        // reading fails for reused counters (a copied store): two copies writing one record
        // under one counter, one a title and the other a tag, each "covered" and dropped the
        // other's write, and both were lost (found by the copied-store property test, seeds
        // 202, 204 and 222). Such a pair shows itself when one vector is at or below the other's
        // yet lacks a value whose dot it covers (see `lacksCoveredValue`): then nothing is
        // dropped, both sides' values are kept.
        let order = version.compare(to: other.version)
        let reused = (order == .before || order == .equal) && lacksCoveredValue(of: other)
            || (order == .after || order == .equal) && other.lacksCoveredValue(of: self)
        let mine = reused ? VersionVector() : version
        let theirs = reused ? VersionVector() : other.version
        // Every key of either side, each once: this side's keys, then the other side's new ones
        // (no set of the union is built).
        var outFields: [String: MultiValueRegister] = Dictionary(minimumCapacity: fields.count)
        for (key, register) in fields {
            let merged = MultiValueRegister.merge(register, mine, other.fields[key] ?? MultiValueRegister(), theirs)
            if !merged.isEmpty { outFields[key] = merged }
        }
        for (key, register) in other.fields where fields[key] == nil {
            let merged = MultiValueRegister.merge(MultiValueRegister(), mine, register, theirs)
            if !merged.isEmpty { outFields[key] = merged }
        }
        var outSets: [String: AddWinsSet] = [:]
        for (key, set) in sets {
            let merged = AddWinsSet.merge(set, mine, other.sets[key] ?? AddWinsSet(), theirs)
            if !merged.isEmpty { outSets[key] = merged }
        }
        for (key, set) in other.sets where sets[key] == nil {
            let merged = AddWinsSet.merge(AddWinsSet(), mine, set, theirs)
            if !merged.isEmpty { outSets[key] = merged }
        }
        return Record(id: id, kind: kind, version: version.merged(with: other.version), fields: outFields, sets: outSets)
    }

    /// True when this record, whose vector is at or below `upper`'s, lacks a value of `upper`
    /// whose dot its vector covers. Impossible without reused counters: this side saw that
    /// write, so only a later write it saw could have replaced the value, and `upper` saw that
    /// write too, so it would not hold the value either.
    func lacksCoveredValue(of upper: Record) -> Bool {
        for (key, register) in upper.fields {
            let held = fields[key]?.siblings ?? []
            for s in register.siblings where version.covers(s.dot) && !held.contains(where: { $0.dot == s.dot && $0.value == s.value }) {
                return true
            }
        }
        for (key, set) in upper.sets {
            let held = sets[key]?.entries ?? [:]
            for (element, dots) in set.entries {
                for dot in dots where version.covers(dot) && !(held[element]?.contains(dot) ?? false) { return true }
            }
        }
        return false
    }

    // MARK: Local writes

    /// Applies one local operation made by `replica` at `time` (ms): advances the vector once and
    /// stamps every value written in `body` with the new dot.
    @discardableResult
    public mutating func edit<T>(
        by replica: ReplicaID, at time: Int64, _ body: (inout RecordEdit) throws -> T
    ) rethrows -> T {
        var working = self
        // A new record's first write usually sets several fields: room for them at once rather
        // than growing (and rehashing) the dictionary field by field.
        if working.fields.isEmpty { working.fields.reserveCapacity(8) }
        let dot = working.version.increment(replica)
        var edit = RecordEdit(record: working, dot: dot, time: time)
        let result = try body(&edit)
        self = edit.record
        return result
    }

    mutating func assign(_ field: String, _ sibling: Sibling) {
        // In place: no copy of the register out of the dictionary and back.
        fields[field, default: MultiValueRegister()].assign(sibling)
    }

    mutating func clear(_ field: String) { fields[field] = nil }

    mutating func add(_ element: String, to set: String, dot: Dot) {
        sets[set, default: AddWinsSet()].add(element, dot: dot)
    }

    mutating func remove(_ element: String, from set: String) {
        guard var s = sets[set] else { return }
        s.remove(element)
        sets[set] = s.isEmpty ? nil : s
    }

    mutating func clearAll() {
        fields = [:]
        sets = [:]
    }
}

/// The writes of one local operation on a record, all stamped with one dot.
public struct RecordEdit {
    /// The record being edited.
    public fileprivate(set) var record: Record
    /// The dot of this operation.
    public let dot: Dot
    /// Wall-clock time of this operation (ms).
    public let time: Int64

    /// Writes `value` to `field`, replacing every sibling (a resolution when there were several).
    public mutating func set(_ field: String, _ value: FieldValue) {
        record.assign(field, Sibling(value: value, dot: dot, time: time))
    }

    /// Writes text to `field`; `nil` clears the field.
    public mutating func set(_ field: String, _ text: String?) {
        if let text { set(field, .string(text)) } else { record.clear(field) }
    }

    /// Clears `field` (a concurrent write elsewhere survives the merge).
    public mutating func clear(_ field: String) { record.clear(field) }

    /// Adds `element` to the set `name`.
    public mutating func add(_ element: String, to name: String) { record.add(element, to: name, dot: dot) }

    /// Removes every observed add of `element` from the set `name`.
    public mutating func remove(_ element: String, from name: String) { record.remove(element, from: name) }

    /// Deletes the record: writes `deleted = true` and clears every other field and set, so an
    /// edit made concurrently elsewhere survives the merge as a delete/edit conflict.
    public mutating func delete() {
        record.clearAll()
        set(Record.deletedField, .bool(true))
    }
}
