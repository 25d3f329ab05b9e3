import ArgumentParser
import Foundation
import GlossCore
import GlossStore
import GlossSync

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with a peer (a remote's name or a URL), or with every remote.",
        discussion: """
            Pulls the peer's changes, then pushes this replica's, in batches. Safe to interrupt \
            and re-run: nothing is lost or applied twice. Concurrent edits of one field become \
            conflicts, listed by `gloss conflicts`.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "A remote's name or a URL (default: every remote).")
    var peer: String?

    @Option(name: .long, help: "The token to send (default: the remote's, else GLOSS_TOKEN).")
    var token: String?

    @Flag(name: .long, help: "Print a JSON summary.")
    var json = false

    @Option(name: .long, help: "Records per batch, each way.")
    var batchRecords = 2_000

    @Option(name: .long, help: "Seconds to wait for a peer that stops answering, per attempt (5 attempts).")
    var timeout = 60

    func validate() throws {
        guard (1...5_000).contains(batchRecords) else { throw ValidationError("--batch-records must be 1...5000") }
        guard (1...3_600).contains(timeout) else { throw ValidationError("--timeout must be 1...3600 seconds") }
    }

    func run() async throws {
        let store = try storeOptions.open()
        let environment = ProcessInfo.processInfo.environment["GLOSS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let targets = try RemoteSync.targets(for: peer, token: token, fallbackToken: environment, in: store)
        let showProgress = Output.stderrIsTerminal && !json
        var summaries: [SyncSummary] = []
        for target in targets {
            let label = target.label
            var report: (@Sendable (SyncProgress) -> Void)?
            if showProgress {
                report = { p in
                    Output.progress("\(label): \(p.phase.rawValue) \(p.records) records, \(SyncCommand.formatBytes(p.bytes))")
                }
            }
            let summary = try await RemoteSync.sync(
                store, with: target, options: SyncOptions(batchRecords: batchRecords), timeout: TimeInterval(timeout), progress: report)
            if showProgress { Output.progress(nil) }
            summaries.append(summary)
            if !json { print(Self.line(for: summary, label: label)) }
        }
        // Index what was pulled now, while the analyst expects to wait, rather than in the
        // next search (the index follows the change feed; see SearchIndexer).
        if summaries.contains(where: { $0.pulled > 0 }) {
            if showProgress { Output.progress("indexing pulled records for search") }
            try store.updateSearchIndex(
                progress: showProgress ? { done, total in Output.progress("indexing pulled records for search: \(done) of \(total)") } : nil)
            if showProgress { Output.progress(nil) }
        }
        if json { try Output.json(summaries) }
    }

    static func line(for s: SyncSummary, label: String) -> String {
        // Counted in records: one record may bring several conflicting fields.
        var text = "Synced with \(label) (\(s.peerName)): pulled \(s.pulled), pushed \(s.pushed), \(s.newConflicts) record\(s.newConflicts == 1 ? "" : "s") newly in conflict"
        if s.newConflicts > 0 { text += " (see them with `gloss conflicts`)" }
        if s.dotCollisions > 0 {
            text += ". WARNING: \(s.dotCollisions) record(s) had one write with two values: a store was copied; both values were kept as conflicts"
        }
        return text
    }

    static func formatBytes(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? String(format: "%.1f KB", Double(bytes) / 1024) : String(format: "%.1f MB", Double(bytes) / 1048576)
    }
}
