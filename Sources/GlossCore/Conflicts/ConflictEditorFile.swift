/// The file `gloss resolve --edit` opens in an editor: the competing versions and, when known,
/// their common ancestor, between git-style conflict markers. What the person saves, with every
/// marker gone, becomes the value; markers never end up stored.
public enum ConflictEditorFile {
    /// Marker prefixes; a saved file with a line starting with any of them is refused.
    public static let markers = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]

    /// The file's text. `labels` names each sibling (same order as `conflict.siblings`).
    public static func render(_ conflict: Conflict, labels: [String], ancestor: Ancestor?) -> String {
        var out = ""
        for (index, sibling) in conflict.siblings.enumerated() {
            let label = index < labels.count ? labels[index] : sibling.dot.description
            out += (index == 0 ? "<<<<<<< " : "======= ") + label + "\n"
            out += terminated(sibling.value.description)
            if index == 0, let ancestor {
                out += "||||||| common ancestor\n"
                out += terminated(ancestor.value?.description ?? "")
            }
        }
        out += ">>>>>>> end of conflict \(conflict.id) (\(conflict.recordKind.rawValue) \(conflict.recordID), field \(conflict.field)): keep the text you want, delete every marker line\n"
        return out
    }

    /// The value in a saved file, or an error when it still holds markers or was not changed.
    /// One trailing newline (which editors add) is dropped unless every sibling ends with one.
    public static func value(saved: String, original: String, conflict: Conflict) throws -> String {
        guard saved != original else {
            throw GlossError(.invalidInput, "the file was saved unchanged (it still holds every version and the markers); conflict \(conflict.id) was not resolved")
        }
        let lines = saved.split(separator: "\n", omittingEmptySubsequences: false)
        // A line that looks like a marker but is part of a version (a Markdown "=======" heading
        // underline) is content, not a leftover marker.
        let contentLines = Set(conflict.siblings.flatMap { $0.value.description.split(separator: "\n") })
        if let line = lines.firstIndex(where: { l in markers.contains { l.hasPrefix($0) } && !contentLines.contains(l) }) {
            throw GlossError(.invalidInput, "conflict markers remain in the edited file (line \(line + 1): \(lines[line].prefix(20))…); conflict \(conflict.id) was not resolved. Delete every <<<<<<<, |||||||, ======= and >>>>>>> line.")
        }
        let keepNewline = !conflict.siblings.isEmpty && conflict.siblings.allSatisfy { $0.value.description.hasSuffix("\n") }
        if !keepNewline, saved.hasSuffix("\n") { return String(saved.dropLast()) }
        return saved
    }

    private static func terminated(_ text: String) -> String { text.hasSuffix("\n") || text.isEmpty ? text : text + "\n" }
}
