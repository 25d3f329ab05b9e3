import ArgumentParser
import Foundation
import GlossCore
import GlossStore

struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Give this store a new replica ID (after restoring it from a backup or copying it).",
        discussion: """
            Every store writes under its own replica ID, counting its writes. A copy of a store \
            (restored from a backup, or copied to another machine) would count the same writes \
            again under the same ID, and a merge could then drop one of two different writes \
            that carry the same number. Sync detects this and refuses to go on until you run \
            `gloss rekey` on the copy. Rekey takes a new random ID; writes this copy made that no \
            peer has received (from a sync or a push it acknowledged) are re-stamped under the new \
            ID, so they are kept (as conflicts where the other copy changed the same field). Then \
            sync again: peers know this store by its new ID, so the first sync with each one \
            exchanges everything once. Stop `gloss serve` on this store first: a server still \
            running refuses to write until it is restarted.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.open()
        let old = store.replicaID
        let new = try store.rekey()
        try store.close()
        print("Replica ID changed from \(old.rawValue) to \(new.rawValue). Now sync with your peers.")
    }
}
