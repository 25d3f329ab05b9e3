import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Exit 1 while orphans, anchors needing review, or conflicts remain; 0 when all is clear.")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openToRead()
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
