/// The value a conflicted field had in the common ancestor of its siblings: the latest state in
/// local history that none of the competing writes had reached.
public struct Ancestor: Hashable, Sendable {
    /// The field's value then (nil when the field was empty: every sibling added it).
    public let value: FieldValue?
    /// When this replica applied that state (ms since 1970).
    public let appliedAt: Int64
    /// The record's version vector in that state.
    public let version: VersionVector

    /// An ancestor value.
    public init(value: FieldValue?, appliedAt: Int64, version: VersionVector) {
        self.value = value
        self.appliedAt = appliedAt
        self.version = version
    }

    /// Finds the ancestor of `siblings` among `states` (oldest first): the latest state whose
    /// vector covers none of the siblings' dots but is covered by `merged` (the current vector),
    /// and whose field holds at most one distinct value (else there is no single ancestor).
    public static func find(
        field: String, siblings: [Sibling], merged: VersionVector,
        in states: [(state: Record, appliedAt: Int64)]
    ) -> Ancestor? {
        for (state, appliedAt) in states.reversed() {
            guard !siblings.contains(where: { state.version.covers($0.dot) }) else { continue }
            let order = state.version.compare(to: merged)
            guard order == .before || order == .equal else { continue }
            let register = state.fields[field]
            if register?.isConflicted == true { return nil }
            return Ancestor(value: register?.winner?.value, appliedAt: appliedAt, version: state.version)
        }
        return nil
    }
}
