package io.intakehub.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.intakehub.config.HubProperties;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Camel's cluster service on the hub's own store (no ZooKeeper, no Kubernetes API, no shared file system): the hub
 * instances sharing a PostgreSQL are the cluster, and each namespace — one per inbox: the phone folder, the EDI
 * folders, the mailbox, the partners' servers — is a lease in {@code inbox_lease} that one instance holds at a time.
 * Routes join a namespace through Camel's {@code ClusteredRoutePolicy} (beans in {@link ClusterConfig}), which starts
 * them on the holder and stops them elsewhere.
 * <p>
 * Every {@code hub.cluster.heartbeat-interval} one thread of each instance writes its {@code hub_instance} row and,
 * for each namespace, takes or renews the lease with one conditional update: the row is changed only where it is
 * ours already or expired ({@code hub.cluster.lease-ttl} since its last renewal), so two instances never hold it
 * together. A renewal that fails (the store unreachable) gives the lease up at once, before anyone else may take it.
 * An instance that stops gracefully releases its leases (another takes over at its next heartbeat); one killed is
 * replaced once the TTL has passed. A restarted instance (same {@code hub.instance-id}) takes its own leases back at
 * once. Instance ids must therefore be unique in a cluster.
 */
public class StoreClusterService extends AbstractCamelClusterService<StoreClusterView> {

    private static final Logger LOG = LoggerFactory.getLogger(StoreClusterService.class);

    /** A member of the cluster as {@code hub_instance} shows it. */
    public record Instance(String id, String process, Instant startedAt, Instant lastSeen, String version, boolean alive) {}

    /** One lease as {@code inbox_lease} shows it. */
    public record Lease(String name, String owner, Instant acquiredAt, Instant expiresAt, boolean valid) {}

    private final JdbcTemplate jdbc;
    private final String instanceId;
    private final String process = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    private final Duration heartbeat;
    private final Duration ttl;
    private final String version;
    private final List<StoreClusterView> active = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<String>> peerGoneListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<String, Boolean>> readingListeners = new CopyOnWriteArrayList<>();
    private final java.util.Map<org.apache.camel.spi.RoutePolicy, String> policies = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private java.util.Set<String> aliveBefore = java.util.Set.of();
    private volatile boolean storeGoneAtShutdown;

    public StoreClusterService(JdbcTemplate jdbc, HubProperties props, String version) {
        super("hub-store");
        this.jdbc = jdbc;
        this.instanceId = props.getInstanceId();
        this.heartbeat = props.getCluster().getHeartbeatInterval();
        this.ttl = props.getCluster().getLeaseTtl();
        this.version = version;
        if (ttl.compareTo(heartbeat.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("hub.cluster.lease-ttl (" + ttl + ") must be more than twice hub.cluster.heartbeat-interval ("
                    + heartbeat + "): a lease must survive a late renewal");
        }
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Called with another instance's id when it is gone: this instance took a lease it held, or it was alive at one
     * heartbeat and is no longer (not seen within the lease TTL; killed, cut off from the store).
     */
    public void onPeerGone(java.util.function.Consumer<String> listener) {
        peerGoneListeners.add(listener);
    }

    /**
     * Called at every heartbeat with each inbox and whether this instance reads it (the route flags that health reads
     * follow it: see {@link ClusterConfig}).
     */
    public void onReading(java.util.function.BiConsumer<String, Boolean> listener) {
        readingListeners.add(listener);
    }

    void announce(String namespace, boolean reading) {
        for (var l : readingListeners) {
            try {
                l.accept(namespace, reading);
            } catch (RuntimeException e) {
                LOG.warn("A listener of inbox {} failed: {}", namespace, e.toString());
            }
        }
    }

    /** Camel's policy for the routes reading one inbox (a lease of its own); remembered for {@link #namespaceOf}. */
    public org.apache.camel.impl.cluster.ClusteredRoutePolicy policy(String namespace) throws Exception {
        var policy = org.apache.camel.impl.cluster.ClusteredRoutePolicy.forNamespace(this, namespace);
        policies.put(policy, namespace);
        return policy;
    }

    /** The inbox a policy of {@link #policy} reads. */
    public Optional<String> namespaceOf(org.apache.camel.spi.RoutePolicy policy) {
        return Optional.ofNullable(policies.get(policy));
    }

    /** The cluster policy of a route that reads an inbox; empty for every other route. */
    public static Optional<org.apache.camel.impl.cluster.ClusteredRoutePolicy> inboxPolicy(org.apache.camel.Route route) {
        return route.getRoutePolicyList() == null ? Optional.empty()
                : route.getRoutePolicyList().stream().filter(org.apache.camel.impl.cluster.ClusteredRoutePolicy.class::isInstance)
                        .map(org.apache.camel.impl.cluster.ClusteredRoutePolicy.class::cast).findFirst();
    }

    /** True while this instance holds the inbox's lease (reads it). */
    public boolean reads(String namespace) {
        return active.stream().anyMatch(v -> v.getNamespace().equals(namespace) && v.isLeader());
    }

    /** The instance holding an inbox's lease now, if any. */
    public Optional<String> holder(String namespace) {
        return lease(namespace).filter(Lease::valid).map(Lease::owner);
    }

    @Override
    protected StoreClusterView createView(String namespace) {
        return new StoreClusterView(this, namespace);
    }

    @Override
    protected void doStart() throws Exception {
        beat();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        super.doStop();
        // a graceful stop hands the inboxes over at the others' next heartbeat instead of after the TTL
        atShutdown("this instance's inbox leases", () -> {
            jdbc.update("update inbox_lease set expires_at = ? where owner = ?", Timestamp.from(Instant.now()), instanceId);
            jdbc.update("update hub_instance set last_seen = ? where instance_id = ? and process = ?",
                    Timestamp.from(Instant.now().minus(ttl)), instanceId, process);
        });
    }

    /**
     * A release at shutdown, given half a second: the store may be unreachable by then (the stop would wait the pool's
     * connection timeout, 30 s); a lease not released expires after the TTL all the same.
     */
    void atShutdown(String what, Runnable release) {
        if (storeGoneAtShutdown) {
            return; // one release already found the store gone: the others would wait as long
        }
        var done = java.util.concurrent.CompletableFuture.runAsync(release, r -> {
            Thread t = new Thread(r, "hub-cluster-release");
            t.setDaemon(true);
            t.start();
        });
        try {
            done.get(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            storeGoneAtShutdown = true;
            LOG.warn("Could not release {} at shutdown (others take over after {}): {}", what, ttl,
                    e.getCause() != null ? e.getCause().toString() : e.toString());
        }
    }

    void register(StoreClusterView view) {
        active.add(view);
        view.refresh(); // the first holder starts reading at once, not a heartbeat later
    }

    void unregister(StoreClusterView view) {
        active.remove(view);
    }

    private void tick() {
        try {
            beat();
            java.util.Set<String> alive = new java.util.HashSet<>();
            instances().stream().filter(Instance::alive).forEach(i -> alive.add(i.id()));
            for (String gone : aliveBefore) {
                if (!alive.contains(gone)) {
                    LOG.warn("Instance {} is gone (not seen for {})", gone, ttl);
                    peerGoneListeners.forEach(l -> l.accept(gone));
                }
            }
            aliveBefore = alive;
        } catch (RuntimeException e) {
            LOG.warn("Cluster heartbeat failed (the store?): {}", e.toString());
        }
        for (StoreClusterView view : active) {
            view.refresh();
        }
    }

    /** This instance's row in {@code hub_instance}: alive now. */
    private void beat() {
        Timestamp now = Timestamp.from(Instant.now());
        int updated = jdbc.update("update hub_instance set process = ?, started_at = ?, last_seen = ?, version = ? where instance_id = ?",
                process, Timestamp.from(startedAt), now, version, instanceId);
        if (updated == 0) {
            try {
                jdbc.update("insert into hub_instance (instance_id, process, started_at, last_seen, version) values (?, ?, ?, ?, ?)",
                        instanceId, process, Timestamp.from(startedAt), now, version);
            } catch (DuplicateKeyException raced) {
                beat();
            }
        }
    }

    /**
     * Takes or renews a lease: true when this instance holds it until now + TTL. Never true for two instances at
     * once — the update matches only a lease that is ours or expired, and the database serialises the two updates
     * of one row (the second re-reads it and no longer matches).
     */
    boolean hold(String name) {
        Instant now = Instant.now();
        Optional<Lease> before = lease(name);
        int updated = jdbc.update("""
                update inbox_lease set owner = ?, expires_at = ?,
                       acquired_at = case when owner = ? then acquired_at else ? end
                 where name = ? and (owner = ? or expires_at < ?)""",
                instanceId, Timestamp.from(now.plus(ttl)), instanceId, Timestamp.from(now), name, instanceId, Timestamp.from(now));
        if (updated == 0) {
            if (before.isPresent()) {
                return false;
            }
            try {
                jdbc.update("insert into inbox_lease (name, owner, acquired_at, expires_at) values (?, ?, ?, ?)",
                        name, instanceId, Timestamp.from(now), Timestamp.from(now.plus(ttl)));
            } catch (DuplicateKeyException raced) {
                return false;
            }
        }
        before.filter(b -> !b.owner().equals(instanceId)).ifPresent(b -> {
            LOG.warn("Took over inbox {} from instance {} (its lease expired at {})", name, b.owner(), b.expiresAt());
            peerGoneListeners.forEach(l -> l.accept(b.owner()));
        });
        return true;
    }

    /** Gives a lease up now (this instance stops reading the inbox). */
    void release(String name) {
        jdbc.update("update inbox_lease set expires_at = ? where name = ? and owner = ?", Timestamp.from(Instant.now()), name, instanceId);
    }

    Optional<Lease> lease(String name) {
        List<Lease> found = jdbc.query("select name, owner, acquired_at, expires_at from inbox_lease where name = ?", (rs, i) -> lease(rs), name);
        return found.stream().findFirst();
    }

    /** Every lease, held or not. */
    public List<Lease> leases() {
        return jdbc.query("select name, owner, acquired_at, expires_at from inbox_lease order by name", (rs, i) -> lease(rs));
    }

    private static Lease lease(java.sql.ResultSet rs) throws java.sql.SQLException {
        Instant expires = rs.getTimestamp(4).toInstant();
        return new Lease(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), expires, expires.isAfter(Instant.now()));
    }

    /** Every instance that ever ran on this store, alive or not (alive: seen within the lease TTL). */
    public List<Instance> instances() {
        Instant aliveSince = Instant.now().minus(ttl);
        return new ArrayList<>(jdbc.query("select instance_id, process, started_at, last_seen, version from hub_instance order by instance_id",
                (rs, i) -> {
                    Instant seen = rs.getTimestamp(4).toInstant();
                    return new Instance(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), seen, rs.getString(5),
                            seen.isAfter(aliveSince));
                }));
    }
}
