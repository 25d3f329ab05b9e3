import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct RmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Delete an annotation, a note, or a document (with its annotations).",
        discussion: "Notes that cite a deleted annotation keep their own copy of the quote.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The record (ID or unique prefix).") var id: String

    func run() throws {
        let store = try storeOptions.open()
        let full = try store.resolveID(id)
        let (kind, count) = try store.delete(full)
        print("Deleted \(kind.rawValue) \(full)" + (count > 1 ? " and \(count - 1) record\(count == 2 ? "" : "s") of it" : ""))
    }
}
