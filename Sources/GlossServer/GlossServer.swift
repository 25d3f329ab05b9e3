// GlossServer: Hummingbird routes over SyncService.
