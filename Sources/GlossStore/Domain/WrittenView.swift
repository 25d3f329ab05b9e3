import GlossCore

/// The typed view of a record a domain write just saved. The write may find a state it did not
/// expect: another process (`gloss serve` merging a peer's delete between the lookup and the
/// write) or a faulty peer (an annotation without its document or position) can leave a record
/// that has no such view. Called inside the write, the error rolls the write back.
enum WrittenView {
    static func of<View>(_ record: Record, _ view: (Record) -> View?) throws -> View {
        if let made = view(record) { return made }
        let why = record.isDeleted ? "was deleted by another replica meanwhile" : "lacks fields a \(record.kind.rawValue) needs (a state received from another replica)"
        throw GlossError(.conflict, "\(record.id) \(why); nothing was changed (see `gloss log \(record.id)`; `gloss rm \(record.id)` removes it)")
    }
}
