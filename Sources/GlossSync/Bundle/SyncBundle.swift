import Foundation
import GlossCore
import GlossStore

/// A sync payload written to a file, for replicas with no network between them: the same push
/// bodies `POST /v1/changes` carries, each compressed as one gzip member, one after another.
public enum SyncBundle {
    /// What writing or reading a bundle did.
    public struct Summary: Sendable, Codable, Equatable {
        /// Record states in the bundle.
        public var records: Int
        /// Batches (gzip members) in the bundle.
        public var batches: Int
        /// Size of the file.
        public var bytes: Int
        /// States that changed a record (apply only).
        public var changed: Int
        /// Records that became conflicted (apply only).
        public var newConflicts: Int
    }

    /// Writes the store's changes to `file`: all of them, or with `peer` those after what that
    /// peer acknowledged and not the ones it sent. Replaces the file only when complete.
    public static func create(from store: ReplicaStore, for peer: ReplicaID?, to file: URL, batchRecords: Int = 2_000) throws -> Summary {
        let partial = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw GlossError(.io, "cannot write \(file.path)")
        }
        var summary = Summary(records: 0, batches: 0, bytes: 0, changed: 0, newConflicts: 0)
        do {
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            var cursor = try peer.map { try store.cursors(for: $0).push } ?? 0
            while true {
                let batch = try store.changes(since: cursor, limit: batchRecords, maxBytes: SyncProtocol.maxBatchBytes, excluding: peer)
                if !batch.states.isEmpty || summary.batches == 0 {
                    let body = PushRequest.body(from: store.replicaID, name: store.name, states: batch.states, since: cursor, next: batch.next)
                    let member = try Gzip.compress(body, level: 6)
                    try handle.write(contentsOf: member)
                    summary.records += batch.states.count
                    summary.batches += 1
                    summary.bytes += member.count
                }
                guard batch.hasMore, batch.next > cursor else { break }
                cursor = batch.next
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error as? GlossError ?? GlossError(.io, "cannot write the bundle \(file.path): \(error.localizedDescription)", cause: error)
        }
        _ = try? FileManager.default.removeItem(at: file)
        do {
            try FileManager.default.moveItem(at: partial, to: file)
        } catch {
            throw GlossError(.io, "cannot write the bundle \(file.path): \(error.localizedDescription)", cause: error)
        }
        return summary
    }

    /// Reads a bundle and merges its states. The whole file is checked first (every member's
    /// gzip data and push body, the sender's replica ID, and every state against this store as
    /// merging would check it: a record's kind, writes under this replica's own ID), so a
    /// damaged, foreign or refused file changes nothing; then each batch is merged in its own
    /// transaction (merging is idempotent, so applying a bundle twice is harmless). Only a
    /// failure of the store itself while merging (a full disk) leaves the batches before it
    /// merged; applying the bundle again completes it.
    public static func apply(_ file: URL, to store: ReplicaStore) throws -> Summary {
        // A device or a pipe may never end (/dev/zero) or never start: refused before reading.
        let attributes = try? FileManager.default.attributesOfItem(atPath: file.resolvingSymlinksInPath().path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw GlossError(.invalidInput, "\(file.path) is not a regular file, so not a gloss bundle. Nothing was applied.")
        }
        let data: Data
        do {
            data = try Data(contentsOf: file, options: .mappedIfSafe)
        } catch {
            throw GlossError(.notFound, "cannot read the bundle \(file.path): \(error.localizedDescription)", cause: error)
        }
        var summary = Summary(records: 0, batches: 0, bytes: data.count, changed: 0, newConflicts: 0)
        // Pass 1: validate everything, including what merging would refuse; pass 2: merge.
        // The kinds of records brought by earlier batches and not in the store yet (pass 1).
        var kinds: [String: RecordKind] = [:]
        for pass in 0..<2 {
            var offset = 0
            var batches = 0
            while offset < data.count {
                let (body, consumed) = try member(of: data, at: offset, file: file)
                offset += consumed
                batches += 1
                let request: PushRequest
                do {
                    request = try SyncService.decodePush(body)
                } catch let error as SyncRequestError {
                    throw GlossError(error.code, "\(file.path) is not a usable bundle (batch \(batches)): \(error.message). Nothing was applied.")
                }
                if request.from == store.replicaID {
                    throw GlossError(
                        .counterReuse,
                        "\(file.path) was made by a store with this store's own replica ID: either it is this store's own bundle, or one store is a copy of the other (run `gloss rekey` on the copy). Nothing was applied.")
                }
                guard pass == 1 else {
                    do {
                        try store.checkApplicable(request.states, kinds: &kinds)
                    } catch let error as GlossError where error.code == .invalidInput || error.code == .counterReuse {
                        var reason = Substring(error.message)
                        for ending in [" Nothing from this batch was applied.", "."] where reason.hasSuffix(ending) {
                            reason = reason.dropLast(ending.count)
                        }
                        throw GlossError(error.code, "\(file.path) cannot be applied (batch \(batches)): \(reason). Nothing was applied.", cause: error)
                    }
                    continue
                }
                let cursor = request.pullCursor(givenPulled: try store.cursors(for: request.from).pull)
                let outcome = try store.apply(request.states, from: request.from, cursor: cursor)
                if !request.name.isEmpty { try? store.rememberReplica(request.from, name: request.name) }
                summary.records += request.states.count
                summary.changed += outcome.changed
                summary.newConflicts += outcome.newConflicts
            }
            summary.batches = batches
            if batches == 0 { throw GlossError(.invalidInput, "\(file.path) is empty, not a gloss bundle. Nothing was applied.") }
        }
        return summary
    }

    private static func member(of data: Data, at offset: Int, file: URL) throws -> (Data, Int) {
        let rest = data[(data.startIndex + offset)...]
        guard Gzip.isCompressed(rest) else {
            throw GlossError(.invalidInput, "\(file.path) is not a gloss bundle (expected gzip data at byte \(offset)). Nothing was applied.")
        }
        do {
            // The slice shares the file's bytes: no copy of the rest of the file per member.
            return try Gzip.decompressMember(rest, limit: SyncProtocol.defaultMaxBodyBytes * 4)
        } catch {
            throw GlossError(.invalidInput, "\(file.path) is damaged at byte \(offset) (\(error)). Nothing was applied.")
        }
    }
}
