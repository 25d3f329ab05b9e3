import Foundation
import GRDB
import GlossCore

/// A value outside what its field allows, written by another replica: gloss's own commands
/// refuse such values (`DomainValidation`), but a faulty peer, or a newer gloss with a wider
/// range, can send one. Sync stores it as received: every replica must hold the same states to
/// converge, and refusing the batch would stop a team's syncs over one value. The views treat it
/// as absent (an annotation's credibility of 1000 shows as none), and `gloss check` lists it
/// with the command that sets a valid one.
public struct InvalidValue: Sendable, Equatable {
    public let recordID: String
    public let kind: RecordKind
    public let field: String
    /// The value as stored.
    public let value: String
    /// Why it is refused: the message the command writing the field gives.
    public let problem: String
}

extension ReplicaStore {
    /// The fields checked, by kind: those whose values `gloss edit` checks beyond their type.
    static let checkedFields: [RecordKind: [String]] = [
        .annotation: [DomainField.credibility, DomainField.motivation],
        .document: [DomainField.grade, DomainField.published, DomainField.accessed],
    ]

    /// Every value of a live record that its field does not allow, each sibling of a conflicted
    /// field included, by record ID.
    public func invalidValues() throws -> [InvalidValue] {
        try read { db in
            // Only states naming a checked field are decoded.
            let names = Set(Self.checkedFields.values.joined()).sorted()
            let sql = "SELECT state FROM records WHERE deleted = 0 AND kind IN ('annotation', 'document') AND ("
                + names.map { _ in "instr(state, ?) > 0" }.joined(separator: " OR ") + ") ORDER BY id"
            let states = try Data.fetchAll(db, sql: sql, arguments: StatementArguments(names.map { "\"\($0)\"" }))
            var found: [InvalidValue] = []
            for data in states {
                let record = try Record.decode(data)
                for field in Self.checkedFields[record.kind] ?? [] {
                    for sibling in record.fields[field]?.siblings ?? [] {
                        do {
                            try DomainValidation.typedValue(sibling.value, field: field, kind: record.kind)
                        } catch let error as GlossError {
                            found.append(InvalidValue(
                                recordID: record.id, kind: record.kind, field: field, value: sibling.value.description,
                                problem: error.message))
                        }
                    }
                }
            }
            return found
        }
    }
}
