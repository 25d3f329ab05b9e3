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

    /// Finds the ancestor of `siblings` among `states` (oldest first), the history of the
    /// replica `local` that resolves.
    ///
    /// The candidates are the states whose vector covers none of the siblings' dots and is
    /// covered by `merged` (the current vector): the prefix of history before the first
    /// competing write arrived or was made. The latest candidate is not always in the other
    /// writers' past: an edit this replica made to the field and had not sent when the other
    /// writer edited looks, against that base, as if the other side had undone it, and a merge
    /// would drop it silently. So the base is the candidate just before this replica's first
    /// write to the field after the first candidate (every later candidate may hold such an
    /// unsent edit), else the latest candidate. An older base is always safe for a three-way
    /// merge: changes both sides share are identical on both and merge cleanly; at worst the
    /// merge finds overlapping lines and refuses, changing nothing. A candidate whose field
    /// holds several distinct values is no single ancestor: nil.
    public static func find(
        field: String, siblings: [Sibling], merged: VersionVector, local: ReplicaID,
        in states: [(state: Record, appliedAt: Int64)]
    ) -> Ancestor? {
        var candidates: [(state: Record, appliedAt: Int64)] = []
        for entry in states {
            guard !siblings.contains(where: { entry.state.version.covers($0.dot) }) else { break }
            let order = entry.state.version.compare(to: merged)
            guard order == .before || order == .equal else { break }
            candidates.append(entry)
        }
        guard let first = candidates.first else { return nil }
        var chosen = candidates[candidates.count - 1]
        var previous = first
        let firstDots = Set(first.state.fields[field]?.siblings.map(\.dot) ?? [])
        for entry in candidates.dropFirst() {
            let wroteHere = entry.state.fields[field]?.siblings.contains {
                $0.dot.replica == local && !firstDots.contains($0.dot)
                    && !(previous.state.fields[field]?.siblings.contains($0) ?? false)
            } ?? false
            if wroteHere {
                chosen = previous
                break
            }
            previous = entry
        }
        let register = chosen.state.fields[field]
        if register?.isConflicted == true { return nil }
        return Ancestor(value: register?.winner?.value, appliedAt: chosen.appliedAt, version: chosen.state.version)
    }
}
