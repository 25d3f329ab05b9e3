import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct OrphansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orphans",
        abstract: "List annotations that could not be placed on their document's current text, and those needing review.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print the list as JSON.") var json = false

    func run() throws {
        let list = try storeOptions.openToRead().annotationsNeedingAttention()
        if json { return try Output.json(list) }
        if list.isEmpty { return print("No orphans and nothing to review: every annotation is anchored.") }
        for a in list {
            print(AnnotationLine.render(a))
            let document = a.revision.isEmpty ? " (deleted, or not synced here yet; `gloss rm \(a.annotation.id)` removes the annotation)" : ""
            print("      on \(a.annotation.document)\(document)" + (a.anchor.position.map { " at \($0.start):\($0.end)" } ?? ""))
        }
    }
}
