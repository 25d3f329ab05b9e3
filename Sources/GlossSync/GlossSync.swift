// GlossSync: wire types, SyncService, SyncClient (URLSession), SyncEngine. See docs/PROTOCOL.md.
