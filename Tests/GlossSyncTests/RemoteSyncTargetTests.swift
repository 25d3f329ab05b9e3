import Foundation
import GlossCore
import GlossStore
import GlossSync
import GlossTestSupport
import Testing

/// `gloss sync NAME_OR_URL` picks its peer: a URL that is a saved remote's URL is that remote.
@Suite struct RemoteSyncTargetTests {
    @Test func aURLOfASavedRemoteUsesThatRemote() throws {
        let (store, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        let peer = ReplicaID.random()
        try store.saveRemote(Remote(name: "hub", url: "http://127.0.0.1:9", token: "hub-token", peerID: peer.rawValue))
        try store.saveRemote(Remote(name: "other", url: "http://127.0.0.1:10/", token: "other-token"))

        for url in ["http://127.0.0.1:9", "http://127.0.0.1:9/"] {
            let targets = try RemoteSync.targets(for: url, token: nil, in: store)
            #expect(targets.count == 1)
            #expect(targets.first?.label == "hub" && targets.first?.token == "hub-token", "\(url)")
            #expect(targets.first?.remote?.peerID == peer.rawValue)
        }
        // A remote saved with a trailing slash matches a URL without one.
        let other = try RemoteSync.targets(for: "http://127.0.0.1:10", token: nil, in: store)
        #expect(other.first?.label == "other" && other.first?.token == "other-token")
        // A token given on the command line still wins.
        #expect(try RemoteSync.targets(for: "http://127.0.0.1:9/", token: "given", in: store).first?.token == "given")
        // Another URL is no remote: no token unless given.
        let unknown = try RemoteSync.targets(for: "http://127.0.0.1:11", token: nil, in: store)
        #expect(unknown.first?.remote == nil && unknown.first?.token == nil && unknown.first?.label == "http://127.0.0.1:11")
    }

    /// GLOSS_TOKEN (the fallback) comes after a remote's saved token, as `gloss sync --help`
    /// says; it used to replace every remote's token.
    @Test func theEnvironmentsTokenComesAfterARemotesOwn() throws {
        let (store, dir) = try TestStores.make(name: "a")
        defer { dir.remove() }
        try store.saveRemote(Remote(name: "hub", url: "http://127.0.0.1:9", token: "hub-token"))
        try store.saveRemote(Remote(name: "open", url: "http://127.0.0.1:10"))
        let all = try RemoteSync.targets(for: nil, token: nil, fallbackToken: "env", in: store)
        #expect(Dictionary(uniqueKeysWithValues: all.map { ($0.label, $0.token) }) == ["hub": "hub-token", "open": "env"])
        #expect(try RemoteSync.targets(for: "hub", token: "given", fallbackToken: "env", in: store).first?.token == "given")
        #expect(try RemoteSync.targets(for: "http://127.0.0.1:11", token: nil, fallbackToken: "env", in: store).first?.token == "env")
    }
}
