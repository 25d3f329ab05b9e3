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
        let list = try storeOptions.open().annotationsNeedingAttention()
        if json { return try Output.json(list) }
        if list.isEmpty { return print("No orphans and nothing to review: every annotation is anchored.") }
        for a in list {
            print(AnnotationLine.render(a))
            print("      on \(a.annotation.document)" + (a.anchor.position.map { " at \($0.start):\($0.end)" } ?? ""))
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 1 while orphans, anchors needing review, or conflicts remain; 0 when all is clear.")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.open()
        let attention = try store.annotationsNeedingAttention()
        let orphans = attention.filter { $0.anchor.status == .orphan }.count
        let review = attention.count - orphans
        let conflicts = try store.status().conflicts
        print("Orphans \(orphans), anchors needing review \(review), conflicts \(conflicts)")
        if orphans + review + conflicts > 0 {
            if orphans + review > 0 { print("See them with `gloss orphans`.") }
            if conflicts > 0 { print("See conflicts with `gloss conflicts`.") }
            throw ExitCode(ExitStatus.attention)
        }
    }
}
