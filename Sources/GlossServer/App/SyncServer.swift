import Foundation
import GlossStore
import GlossSync
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Settings of a sync server.
public struct SyncServerConfiguration: Sendable {
    /// The address to listen on (loopback by default: serving a network is a deliberate choice).
    public var host: String
    /// The port; 0 asks the system for a free one (the bound port is reported when running).
    public var port: Int
    /// The bearer token clients must send; nil serves without authentication.
    public var token: String?
    /// The largest request body accepted, compressed or not (413 beyond).
    public var maxBodyBytes: Int
    /// A connection that sends no complete request head (or no body part) for this long, or sits
    /// idle this long between requests, is closed: slow or stuck clients cannot hold sockets.
    public var idleTimeout: Duration
    /// The longest a request may take to arrive, head and body, from its first byte: a client
    /// trickling bytes just faster than the idle timeout is still cut off (408, or a close once
    /// the head is in).
    public var requestTimeout: Duration
    /// The most connections open at once; a further one is answered 503 and closed at once, so
    /// a flood of connections can neither exhaust the server's file descriptors nor queue in
    /// front of honest clients.
    public var maxConnections: Int

    /// A configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maxBodyBytes: Int = SyncProtocol.defaultMaxBodyBytes,
        idleTimeout: Duration = .seconds(30), requestTimeout: Duration = .seconds(30), maxConnections: Int = 512
    ) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }
}

/// The HTTP sync server: Hummingbird routes over a `SyncService`.
public enum SyncServer {
    /// The router with every route and the token check (what `app.test(.router)` drives).
    public static func makeRouter(service: SyncService, configuration: SyncServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router()
        // First, so it wraps the router's not-found answer for every path (see its comment).
        router.add(middleware: UnroutedRequestMiddleware())
        if let token = configuration.token {
            router.add(middleware: BearerTokenMiddleware(token: token))
        }
        SyncRoutes<BasicRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes).register(on: router)
        return router
    }

    /// The application; `onRunning` receives the bound port once listening. `limiter` counts the
    /// open connections against `configuration.maxConnections` (pass one to observe it in tests).
    public static func makeApplication(
        store: ReplicaStore, configuration: SyncServerConfiguration, logger: Logger,
        limiter: ConnectionLimiter? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(service: SyncService(store: store), configuration: configuration)
        return Application(
            router: router,
            server: GuardedHTTP1Channel.builder(
                configuration: .init(idleTimeout: timeAmount(configuration.idleTimeout)),
                limiter: limiter ?? ConnectionLimiter(maximum: configuration.maxConnections),
                requestTimeout: timeAmount(configuration.requestTimeout)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Serves until SIGINT or SIGTERM, then finishes requests in flight and returns.
    public static func run(
        store: ReplicaStore, configuration: SyncServerConfiguration, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = makeApplication(store: store, configuration: configuration, logger: logger, onRunning: onRunning)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
