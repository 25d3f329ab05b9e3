import Foundation
import GlossCore

/// The `--json` shape of a conflict (stable keys for scripts).
struct ConflictJSON: Encodable {
    struct Value: Encodable {
        let value: FieldValue
        let replica: String
        let replicaName: String?
        let ours: Bool
        let time: String
        let timeMs: Int64
        let dot: String
    }
    struct Edited: Encodable {
        let field: String
        let values: [Value]
    }
    struct Added: Encodable {
        let set: String
        let element: String
        let replicas: [String]
    }
    struct AncestorJSON: Encodable {
        let value: FieldValue?
        let appliedAt: String
    }

    let id: String
    let type: String
    let record: String
    let recordKind: String
    let label: String?
    let field: String
    let values: [Value]
    let edited: [Edited]?
    let added: [Added]?
    let ancestor: AncestorJSON?

    init(_ conflict: Conflict, formatter: ConflictFormatter, ancestor: Ancestor? = nil) {
        func value(_ s: Sibling) -> Value {
            Value(value: s.value, replica: s.dot.replica.rawValue, replicaName: formatter.names[s.dot.replica],
                  ours: s.dot.replica == formatter.local, time: ConflictFormatter.isoTime(s.time), timeMs: s.time,
                  dot: "\(s.dot.replica.rawValue):\(s.dot.counter)")
        }
        id = conflict.id
        type = conflict.kind.rawValue
        record = conflict.recordID
        recordKind = conflict.recordKind.rawValue
        label = conflict.label
        field = conflict.field
        values = conflict.siblings.map(value)
        if conflict.kind == .deleteEdit {
            edited = conflict.editedFields.sorted { $0.key < $1.key }.map { Edited(field: $0.key, values: $0.value.map(value)) }
            added = conflict.editedSets.sorted { $0.key < $1.key }.flatMap { name, elements in
                elements.sorted { $0.key < $1.key }.map { Added(set: name, element: $0.key, replicas: Set($0.value.map(\.replica.rawValue)).sorted()) }
            }
        } else {
            edited = nil
            added = nil
        }
        self.ancestor = ancestor.map { AncestorJSON(value: $0.value, appliedAt: ConflictFormatter.isoTime($0.appliedAt)) }
    }
}
