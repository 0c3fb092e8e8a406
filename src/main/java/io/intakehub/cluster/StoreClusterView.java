package io.intakehub.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace (one inbox) of {@link StoreClusterService}: its lease, taken or renewed at every heartbeat, and the
 * instances alive as its members. A change of holder is announced to Camel's listeners (the {@code ClusteredRoutePolicy}
 * that starts or stops the inbox's routes).
 */
public class StoreClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(StoreClusterView.class);

    private final StoreClusterService service;
    private volatile boolean leader;

    StoreClusterView(StoreClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
    }

    @Override
    protected void doStart() {
        service.register(this);
    }

    @Override
    protected void doStop() {
        service.unregister(this);
        if (leader) {
            leader = false;
            service.atShutdown("the lease of " + getNamespace(), () -> service.release(getNamespace()));
            fireLeadershipChangedEvent(Optional.empty());
        }
    }

    /** Takes or renews the lease; a failure to reach the store counts as not holding it. */
    synchronized void refresh() {
        boolean held;
        try {
            held = service.hold(getNamespace());
        } catch (RuntimeException e) {
            if (leader) {
                LOG.warn("Could not renew the lease of {} ({}): this instance stops reading it until it can", getNamespace(), e.toString());
            }
            held = false;
        }
        if (held != leader) {
            leader = held;
            LOG.info("{} {} (instance {})", held ? "Now reading" : "No longer reading", getNamespace(), service.instanceId());
            fireLeadershipChangedEvent(held ? Optional.of(getLocalMember()) : getLeader());
        }
        service.announce(getNamespace(), leader);
    }

    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leader) {
            return Optional.of(getLocalMember());
        }
        try {
            return service.lease(getNamespace()).filter(StoreClusterService.Lease::valid).map(l -> member(l.owner()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return member(service.instanceId());
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        return service.instances().stream().filter(StoreClusterService.Instance::alive).map(i -> member(i.id())).toList();
    }

    private CamelClusterMember member(String id) {
        boolean local = id.equals(service.instanceId());
        return new CamelClusterMember() {
            @Override
            public String getId() {
                return id;
            }

            @Override
            public boolean isLeader() {
                return local ? leader : service.lease(getNamespace()).filter(l -> l.valid() && l.owner().equals(id)).isPresent();
            }

            @Override
            public boolean isLocal() {
                return local;
            }
        };
    }
}
