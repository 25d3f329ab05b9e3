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
        let tags = try options.open().tag(id, add: add, remove: remove)
        print(tags.isEmpty ? "No tags now" : "Tags now: " + tags.map { "#\($0)" }.joined(separator: " "))
    }
}
