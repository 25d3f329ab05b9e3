import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Add (+tag) and remove (-tag) tags of an annotation or a note.",
        discussion: "Example: gloss tag a-3f9a +troops -draft")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The annotation or note (ID or unique prefix).") var id: String
    @Argument(parsing: .captureForPassthrough, help: "+tag to add, -tag to remove.") var changes: [String] = []

    func run() throws {
        var add: [String] = [], remove: [String] = []
        var options = storeOptions
        var rest = changes[...]
        while let change = rest.popFirst() {
            if change == "--store", let value = rest.popFirst() {
                options.store = value
            } else if change.hasPrefix("+") {
                add.append(String(change.dropFirst()))
            } else if change.hasPrefix("-") {
                remove.append(String(change.dropFirst()))
            } else {
                throw GlossError(.invalidInput, "\(change.debugDescription): write +tag to add a tag, -tag to remove one")
            }
        }
        let store = try options.open()
        let before = Set(try store.record(try store.resolveID(id))?.elements(FieldName.tags) ?? [])
        let tags = try store.tag(id, add: add, remove: remove)
        // Say which changes had nothing to do: they write nothing (see `LocalWriter.update`).
        let trimmed = { (tag: String) in tag.trimmingCharacters(in: .whitespaces) }
        let already = add.map(trimmed).filter(before.contains), absent = remove.map(trimmed).filter { !before.contains($0) }
        if !already.isEmpty { print("Already tagged " + already.map { "#\($0)" }.joined(separator: " ")) }
        if !absent.isEmpty { print("Had no tag " + absent.map { "#\($0)" }.joined(separator: " ")) }
        if Set(tags) == before { print("Nothing changed.") }
        print(tags.isEmpty ? "No tags now" : "Tags now: " + tags.map { "#\($0)" }.joined(separator: " "))
    }
}
