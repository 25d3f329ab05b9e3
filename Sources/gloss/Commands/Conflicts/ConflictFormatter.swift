import Foundation
import GlossCore
import GlossStore

/// Turns conflicts into lines for people and values for `--json`: replica names, times, short
/// values and diffs. Printing only; every decision is made by the library.
struct ConflictFormatter {
    let names: [ReplicaID: String]
    let local: ReplicaID

    init(store: ReplicaStore) throws {
        names = try store.replicaNames()
        local = store.replicaID
    }

    /// "alice (1a2b3c4d)", or the short ID when the name is unknown; "this replica" is marked.
    func who(_ replica: ReplicaID) -> String {
        let base = names[replica].map { "\($0) (\(replica.short))" } ?? replica.short
        return replica == local ? base + " [this replica]" : base
    }

    /// A time as "2026-11-22 02:30:15 UTC".
    static func time(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// A time in ISO 8601, for JSON.
    static func isoTime(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// A value in short: first line, at most `width` characters, quoted when text.
    static func short(_ value: FieldValue?, width: Int = 60) -> String {
        guard let value else { return "(empty)" }
        guard case .string(let text) = value else { return value.description }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        var first = String(lines.first ?? "")
        var cut = lines.count > 1
        if first.count > width { first = String(first.prefix(width)); cut = true }
        return "\"" + first + (cut ? "…" : "") + "\"" + (lines.count > 1 ? " (\(text.split(separator: "\n", omittingEmptySubsequences: false).count) lines)" : "")
    }

    /// A value of `field` in short: a time field (`created`, ms since 1970) as a date and time
    /// (`time`), other values as `short` shows them. `gloss log` showed a new record's
    /// `created: (empty) -> 1764547200000`; `--json` keeps the number.
    static func short(_ value: FieldValue?, field: String, width: Int = 60) -> String {
        if field == DomainField.created, let ms = value?.int { return time(ms) }
        return short(value, width: width)
    }

    /// `note "Troop numbers"` or `annotation 1a2b3c4d` when the record has no title or quote.
    static func record(_ conflict: Conflict) -> String {
        if let label = conflict.label { return "\(conflict.recordKind.rawValue) \(short(.string(label), width: 50))" }
        return "\(conflict.recordKind.rawValue) \(conflict.recordID)"
    }

    /// The one-paragraph summary used by `gloss conflicts` and the interactive walk.
    func summary(_ conflict: Conflict) -> [String] {
        var lines: [String] = []
        switch conflict.kind {
        case .field:
            lines.append("\(conflict.id)  \(Self.record(conflict))  field \(conflict.field): \(conflict.siblings.count) values")
            for sibling in conflict.siblings {
                lines.append("    \(Self.short(sibling.value))  by \(who(sibling.dot.replica)) at \(Self.time(sibling.time))")
            }
        case .deleteEdit:
            lines.append("\(conflict.id)  \(Self.record(conflict))  deleted on one replica, edited on another")
            for sibling in conflict.siblings {
                let what = sibling.value == .bool(true) ? "deleted" : "kept (undeleted)"
                lines.append("    \(what) by \(who(sibling.dot.replica)) at \(Self.time(sibling.time))")
            }
            for (field, siblings) in conflict.editedFields.sorted(by: { $0.key < $1.key }) {
                for sibling in siblings {
                    lines.append("    edited \(field) = \(Self.short(sibling.value)) by \(who(sibling.dot.replica)) at \(Self.time(sibling.time))")
                }
            }
            for (name, elements) in conflict.editedSets.sorted(by: { $0.key < $1.key }) {
                for (element, dots) in elements.sorted(by: { $0.key < $1.key }) {
                    let writers = Set(dots.map(\.replica)).sorted().map(who).joined(separator: ", ")
                    lines.append("    added \(element.debugDescription) to \(name) by \(writers)")
                }
            }
        }
        return lines
    }

    /// The full view of `gloss conflicts show`.
    func details(_ conflict: Conflict, ancestor: Ancestor?, beforeDelete: GlossCore.Record?, color: Bool) -> [String] {
        var out = ["Conflict \(conflict.id): \(Self.record(conflict)) (record \(conflict.recordID))"]
        switch conflict.kind {
        case .deleteEdit:
            out.append("The record was deleted on one replica while another edited it; the edit was kept beside the delete.")
            out += summary(conflict).dropFirst().map { String($0.dropFirst(2)) }
            if let beforeDelete {
                let fields = beforeDelete.fields.keys.filter { $0 != Record.deletedField }.sorted()
                out.append("")
                out.append("Before the delete (from local history) it had: " + (fields.isEmpty ? "no fields" : fields.joined(separator: ", ")))
            }
            out.append("")
            out.append("Resolve: gloss resolve \(conflict.id) --keep   (restore the record with the edit)")
            out.append("         gloss resolve \(conflict.id) --delete (delete it, dropping the edit)")
        case .field:
            out.append("Field \(conflict.field): \(conflict.siblings.count) competing values")
            for (index, sibling) in conflict.siblings.enumerated() {
                out.append("")
                out.append("[\(index + 1)] by \(who(sibling.dot.replica)) at \(Self.time(sibling.time)) (write \(sibling.dot))")
                out += indent(sibling.value.description)
            }
            out.append("")
            if let ancestor {
                out.append("Common ancestor (from local history, applied \(Self.time(ancestor.appliedAt))):")
                out += indent(ancestor.value?.description ?? "(empty)")
            } else {
                out.append("Common ancestor: not in this replica's history (--merge is not available)")
            }
            let texts = conflict.siblings.compactMap(\.value.string)
            if texts.count == conflict.siblings.count, texts.count >= 2 {
                let base = ancestor?.value?.string
                for (index, text) in texts.enumerated() {
                    if base == nil && index == 0 { continue }
                    let from = base ?? texts[0]
                    out.append("")
                    out.append(base == nil ? "Diff [1] -> [\(index + 1)]:" : "Diff ancestor -> [\(index + 1)]:")
                    out += Self.diff(from, text, color: color)
                }
            }
            out.append("")
            out.append("Resolve: gloss resolve \(conflict.id) --ours | --theirs | --pick REPLICA | --value TEXT | --edit | --merge")
        }
        return out
    }

    /// A word diff for one-line texts (`[-old-]{+new+}`), a line diff otherwise.
    static func diff(_ old: String, _ new: String, color: Bool) -> [String] {
        if !old.contains("\n") && !new.contains("\n") {
            let text = TextDiff.words(old, new).map { segment -> String in
                switch segment {
                case .equal(let t): return t
                case .delete(let t): return color ? "\u{1B}[31m[-\(t)-]\u{1B}[0m" : "[-\(t)-]"
                case .insert(let t): return color ? "\u{1B}[32m{+\(t)+}\u{1B}[0m" : "{+\(t)+}"
                }
            }.joined()
            return ["    " + text]
        }
        var lines: [String] = []
        let segments = TextDiff.lines(old, new)
        for (index, segment) in segments.enumerated() {
            if case .equal(let text) = segment {
                // Long unchanged stretches shrink to two lines of context on each side.
                var kept = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if kept.last == "" { kept.removeLast() }
                let head = index == 0 ? 0 : 2, tail = index == segments.count - 1 ? 0 : 2
                if kept.count > head + tail + 1 {
                    for line in kept.prefix(head) { lines.append("      \(line)") }
                    lines.append("      … (\(kept.count - head - tail) unchanged lines)")
                    for line in kept.suffix(tail) { lines.append("      \(line)") }
                    continue
                }
            }
            let (prefix, code): (String, String) = switch segment {
            case .equal: ("  ", "")
            case .delete: ("- ", "\u{1B}[31m")
            case .insert: ("+ ", "\u{1B}[32m")
            }
            var text = segment.text
            if text.hasSuffix("\n") { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(color && !code.isEmpty ? "    \(code)\(prefix)\(line)\u{1B}[0m" : "    \(prefix)\(line)")
            }
        }
        return lines
    }

    private func indent(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
    }

    /// Labels for the editor file's sections.
    func editorLabels(_ conflict: Conflict) -> [String] {
        conflict.siblings.map { "\(who($0.dot.replica)) at \(Self.time($0.time))" }
    }
}
