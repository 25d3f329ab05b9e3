extension ReplicaStore {
    /// The record-state format version this build reads and writes. Peers compare it at the sync
    /// handshake; it follows the store schema version, which changes when the state format does.
    public static var recordSchemaVersion: Int { Schema.version }
}
