/// How a person chose to resolve a conflict.
public enum ResolutionStrategy: Hashable, Sendable {
    /// The value this replica wrote.
    case ours
    /// The other value, when there are exactly two.
    case theirs
    /// The value a given replica wrote.
    case pick(ReplicaID)
    /// A value typed by the person.
    case value(String)
    /// A value edited by the person in an editor (already read back from the file).
    case edited(String)
    /// A line-based three-way merge of the text values against their common ancestor.
    case merge
    /// Delete/edit: keep the record (undelete it, with the concurrent edit).
    case keep
    /// Delete/edit: delete the record again (covering the concurrent edit).
    case delete

    /// The name recorded in history and shown by `gloss log`.
    public var name: String {
        switch self {
        case .ours: return "ours"
        case .theirs: return "theirs"
        case .pick: return "pick"
        case .value: return "value"
        case .edited: return "edit"
        case .merge: return "merge"
        case .keep: return "keep"
        case .delete: return "delete"
        }
    }

    /// True for the strategies that fit a delete/edit conflict.
    public var fitsDeleteEdit: Bool { self == .keep || self == .delete }
}
