import GRDB
import GlossCore

/// Per-peer sync progress.
public struct PeerCursors: Sendable, Equatable {
    /// The peer's feed position this replica has pulled up to.
    public var pull: Int64
    /// This replica's feed position the peer has acknowledged.
    public var push: Int64
}

/// A named peer to sync with.
public struct Remote: Sendable, Equatable, Codable {
    public var name: String
    public var url: String
    public var token: String?
    /// The peer's replica ID, learned at the first sync.
    public var peerID: String?

    public init(name: String, url: String, token: String? = nil, peerID: String? = nil) {
        self.name = name
        self.url = url
        self.token = token
        self.peerID = peerID
    }
}

extension ReplicaStore {
    /// The cursors for `peer` (zeros when never synced).
    public func cursors(for peer: ReplicaID) throws -> PeerCursors {
        try readOneStatement { db in
            let statement = try db.cachedStatement(sql: "SELECT pull_cursor, push_cursor FROM sync_peers WHERE peer_id = ?")
            let row = try Row.fetchOne(statement, arguments: [peer.rawValue])
            return PeerCursors(pull: row?[0] ?? 0, push: row?[1] ?? 0)
        }
    }

    /// Records that `peer` acknowledged this replica's feed up to `position` (never moves back).
    public func setPushCursor(_ position: Int64, for peer: ReplicaID) throws {
        try writeOneStatement { db in
            try db.cachedStatement(sql: """
                INSERT INTO sync_peers(peer_id, push_cursor, last_sync) VALUES (?, ?, ?)
                ON CONFLICT(peer_id) DO UPDATE SET push_cursor = MAX(push_cursor, excluded.push_cursor),
                    last_sync = excluded.last_sync
                """).execute(arguments: [peer.rawValue, position, clock()])
        }
    }

    /// Adds or replaces a remote.
    public func saveRemote(_ remote: Remote) throws {
        try wrapDatabaseErrors {
            try transaction { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO remotes(name, url, token, peer_id) VALUES (?, ?, ?, ?)",
                    arguments: [remote.name, remote.url, remote.token, remote.peerID])
            }
        }
    }

    /// Removes a remote; false when there was none by that name.
    @discardableResult
    public func removeRemote(named name: String) throws -> Bool {
        try wrapDatabaseErrors {
            try transaction { db in
                try db.execute(sql: "DELETE FROM remotes WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }

    /// Every remote, by name.
    public func remotes() throws -> [Remote] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, url, token, peer_id FROM remotes ORDER BY name").map {
                Remote(name: $0["name"], url: $0["url"], token: $0["token"], peerID: $0["peer_id"])
            }
        }
    }
}
