import Foundation
import GlossCore
import GlossStore

/// Syncing a store with its named remotes or with a URL: what `gloss sync` does.
public enum RemoteSync {
    /// A peer to sync with.
    public struct Target: Sendable {
        /// The remote's name, or the URL for an unnamed one.
        public var label: String
        /// The base URL.
        public var url: URL
        /// The token to send.
        public var token: String?
        /// The saved remote, when it is one (its peer ID is updated after the sync).
        public var remote: Remote?
    }

    /// The targets for `nameOrURL`: a saved remote by name, a URL, or every remote when nil.
    ///
    /// A URL that is a saved remote's URL (ignoring a trailing slash) is that remote: its token
    /// (unless `token` is given) and its peer ID, as if it had been named. The token sent is
    /// `token` if given, else the remote's, else `fallbackToken` (GLOSS_TOKEN).
    public static func targets(
        for nameOrURL: String?, token: String?, fallbackToken: String? = nil, in store: ReplicaStore
    ) throws -> [Target] {
        let remotes = try store.remotes()
        guard let nameOrURL else {
            guard !remotes.isEmpty else {
                throw GlossError(.notFound, "no remotes to sync with. Add one with `gloss remote add NAME URL`, or give a URL: `gloss sync http://host:port`.")
            }
            return try remotes.map { try target(for: $0, token: token, fallback: fallbackToken) }
        }
        if let remote = remotes.first(where: { $0.name == nameOrURL }) { return [try target(for: remote, token: token, fallback: fallbackToken)] }
        if nameOrURL.contains("://") {
            guard let url = URL(string: nameOrURL), url.host != nil else {
                throw GlossError(.invalidInput, "\(nameOrURL.debugDescription) is not a valid URL")
            }
            let wanted = normalized(nameOrURL)
            if let remote = remotes.first(where: { normalized($0.url) == wanted }) { return [try target(for: remote, token: token, fallback: fallbackToken)] }
            return [Target(label: nameOrURL, url: url, token: token ?? fallbackToken, remote: nil)]
        }
        let known = remotes.map(\.name).joined(separator: ", ")
        throw GlossError(
            .notFound,
            "no remote named \(nameOrURL.debugDescription)\(known.isEmpty ? "" : " (remotes: \(known))"). Add it with `gloss remote add \(nameOrURL) URL`.")
    }

    /// A URL as compared with the remotes' URLs: without trailing slashes.
    static func normalized(_ url: String) -> Substring {
        var text = Substring(url)
        while text.hasSuffix("/") { text = text.dropLast() }
        return text
    }

    private static func target(for remote: Remote, token: String?, fallback: String?) throws -> Target {
        guard let url = URL(string: remote.url), url.host != nil else {
            throw GlossError(.invalidInput, "remote \(remote.name) has an invalid URL \(remote.url.debugDescription); fix it with `gloss remote add`")
        }
        return Target(label: remote.name, url: url, token: token ?? remote.token ?? fallback, remote: remote)
    }

    /// Syncs with one target over HTTP and remembers the peer's ID on the saved remote, as soon
    /// as the handshake accepts the peer: a first sync cut short then still shows its progress
    /// under the remote (`syncState(with:)` finds it by that ID), not "never synced".
    /// `timeout`: how long a request waits for the next bytes of its answer (see `SyncClient`).
    public static func sync(
        _ store: ReplicaStore, with target: Target, options: SyncOptions = SyncOptions(), timeout: TimeInterval = 60,
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> SyncSummary {
        let client = try SyncClient(baseURL: target.url, token: target.token, timeout: timeout)
        let remote = target.remote
        return try await SyncEngine(store: store, transport: client, options: options, progress: progress) { info in
            if var remote, remote.peerID != info.replicaID.rawValue {
                remote.peerID = info.replicaID.rawValue
                try store.saveRemote(remote)
            }
        }.run()
    }
}
