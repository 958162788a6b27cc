package io.pipit.mqtt.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.postoffice.Bindings;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.remoting.server.RemotingService;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.cluster.ClusterConnection;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.server.cluster.impl.RemoteQueueBindingImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.apache.activemq.artemis.utils.VersionLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ActiveMQ Artemis nodes embedded in the test JVM and joined in one cluster over loopback, node 0 ("A") and
 * node 1 ("B"). Each node has its own broker instance directory, an MQTT acceptor on a free 127.0.0.1 port (as
 * {@link ArtemisBroker}) and a core acceptor for the cluster bridge, and a static cluster connection to the other
 * node's core port (no UDP discovery). Message load balancing is {@code ON_DEMAND}: a message published on one node
 * goes to each matching subscription queue on the other node, and queues of one name on both nodes (an MQTT shared
 * subscription group) take turns among those with consumers. Persistence is on, with the journal in the instance
 * directory, so what a stopped node held (its store-and-forward queue to the other node above all) is delivered
 * after {@link #restart}; security and JMX off, no disk-usage limit.
 *
 * <p>{@code try (ArtemisCluster cluster = ArtemisCluster.start()) { cluster.awaitBridged(30); ... cluster.uri(0)
 * ... }}
 *
 * <p><b>Thread-safety:</b> the methods that change or read the nodes are synchronized, the rest read immutable
 * fields; stop, restart and close are meant for the test thread.
 */
public final class ArtemisCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtemisCluster.class);
    private static final int START_ATTEMPTS = 3;
    private static final String CLUSTER = "pipit-cluster";
    private static final String[] NAMES = {"A", "B"};
    private static final String MQTT_PROTOCOL = "MQTT";
    /** Bound of the waits for a stopping node's MQTT connections to close and for a held bridge to settle. */
    private static final long NODE_WAIT_S = 30;

    private final Path[] directories;
    private final int[] mqttPorts;
    private final int[] corePorts;
    private final EmbeddedActiveMQ[] servers = new EmbeddedActiveMQ[2];
    private final ArtemisUnroutedMessages[] unrouted = {new ArtemisUnroutedMessages(), new ArtemisUnroutedMessages()};
    private boolean closed;

    private ArtemisCluster(Path[] directories, int[] mqttPorts, int[] corePorts) {
        this.directories = directories;
        this.mqttPorts = mqttPorts;
        this.corePorts = corePorts;
    }

    /** Starts both nodes on free 127.0.0.1 ports, retrying on new ports when another process took one first. */
    public static ArtemisCluster start() {
        for (int attempt = 1; ; attempt++) {
            final ArtemisCluster cluster = new ArtemisCluster(new Path[] {
                    BrokerSupport.newBrokerDirectory("artemis"), BrokerSupport.newBrokerDirectory("artemis")},
                    new int[] {BrokerSupport.freeLoopbackPort(), BrokerSupport.freeLoopbackPort()},
                    new int[] {BrokerSupport.freeLoopbackPort(), BrokerSupport.freeLoopbackPort()});
            try {
                cluster.startNode(0);
                cluster.startNode(1);
                return cluster;
            } catch (IllegalStateException e) {
                cluster.close();
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Artemis cluster failed to start (attempt {}); retrying on new ports", attempt, e);
            }
        }
    }

    private synchronized void startNode(int node) {
        final ConfigurationImpl config = ArtemisBroker.configuration(directories[node], mqttPorts[node], "");
        final int peer = 1 - node;
        try {
            config.setName("node-" + NAMES[node])
                    .setPersistenceEnabled(true)
                    .setJournalType(JournalType.NIO)  // no libaio needed
                    .setJournalFileSize(1024 * 1024)
                    // security is off; a password of our own spares the warning about the default one
                    .setClusterPassword("pipit-test-cluster")
                    .addAcceptorConfiguration("core", "tcp://127.0.0.1:" + corePorts[node] + "?protocols=CORE")
                    .addConnectorConfiguration("self", "tcp://127.0.0.1:" + corePorts[node])
                    .addConnectorConfiguration("peer", "tcp://127.0.0.1:" + corePorts[peer])
                    .addClusterConfiguration(new ClusterConnectionConfiguration()
                            .setName(CLUSTER)
                            .setAddress("")  // every address
                            .setConnectorName("self")
                            .setStaticConnectors(List.of("peer"))
                            .setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
                            .setMaxHops(1)
                            .setRetryInterval(100)
                            .setMaxRetryInterval(1000)
                            .setReconnectAttempts(-1));
        } catch (Exception e) {  // Artemis declares a bare Exception for parsing connector URIs
            throw new IllegalArgumentException("bad Artemis cluster configuration", e);
        }
        config.registerBrokerPlugin(unrouted[node]);
        servers[node] = ArtemisBroker.startServer(config, "node " + NAMES[node] + " (MQTT port " + mqttPorts[node]
                + ", core port " + corePorts[node] + ")");
    }

    /** @return e.g. "ActiveMQ Artemis 2.41.0 two-node cluster" */
    public String describe() {
        return "ActiveMQ Artemis " + VersionLoader.getVersion().getFullVersion() + " two-node cluster";
    }

    /** @return "A" for node 0, "B" for node 1 */
    public String name(int node) {
        return NAMES[node];
    }

    /** @return "tcp://127.0.0.1:PORT" of the node's MQTT acceptor, the same across {@link #restart} */
    public String uri(int node) {
        return "tcp://127.0.0.1:" + mqttPorts[node];
    }

    /**
     * Takes the node out of service the way an operator shuts a node down, then stops it; its journal keeps what it
     * held, the other node keeps running. First its MQTT acceptor stops accepting and each of its MQTT connections is
     * closed (the clients see their connection drop and move on); once the node counts no MQTT connection and no
     * connected MQTT client, {@code stop()}. So no MQTT PUBLISH reaches the node while {@code stop()} takes down its
     * cluster connection first: one that did would be routed to no queue and yet acknowledged (Artemis 2.41).
     */
    public synchronized void stop(int node) {
        final EmbeddedActiveMQ server = servers[node];
        if (server == null) {
            return;
        }
        final long startNs = System.nanoTime();
        IllegalStateException failure = null;
        try {
            final RemotingService remoting = server.getActiveMQServer().getRemotingService();
            final Acceptor acceptor = remoting.getAcceptor(ArtemisBroker.MQTT_ACCEPTOR);
            if (acceptor != null) {
                acceptor.pause();  // closes the listening socket; open connections stay
            }
            // a connection accepted just before the pause registers once its protocol is known: close it too
            await(() -> closeMqttConnections(remoting) == 0 && mqttClients(node) == 0, NODE_WAIT_S,
                    "the MQTT connections of node " + NAMES[node] + " to close");
        } catch (IllegalStateException e) {
            failure = e;  // stop the node all the same, then report
        }
        final long closedNs = System.nanoTime();
        servers[node] = null;
        try {
            server.stop();
        } catch (Exception e) {  // Artemis declares a bare Exception
            final IllegalStateException stopFailure =
                    new IllegalStateException("Artemis node " + NAMES[node] + " did not stop cleanly", e);
            if (failure != null) {
                stopFailure.addSuppressed(failure);
            }
            throw stopFailure;
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info("Artemis node {} closed its MQTT connections in {} ms, then stopped in {} ms", NAMES[node],
                (closedNs - startNs) / 1_000_000, (System.nanoTime() - closedNs) / 1_000_000);
    }

    /**
     * Closes the transport of each MQTT connection the node has registered: Netty closes the socket on the
     * connection's event loop, after the packet it may be handling, and the node then drops the connection and its
     * client.
     *
     * @return the MQTT connections found
     */
    private static int closeMqttConnections(RemotingService remoting) {
        int found = 0;
        for (RemotingConnection connection : remoting.getConnections()) {
            if (connection.getProtocolName().startsWith(MQTT_PROTOCOL)) {
                found++;
                connection.disconnect(false);
            }
        }
        return found;
    }

    /** Starts a stopped node again on the same ports and directory: it recovers its journal and rejoins. */
    public synchronized void restart(int node) {
        if (servers[node] != null) {
            throw new IllegalStateException("node " + NAMES[node] + " is running");
        }
        startNode(node);
    }

    /** @return true when every running node has its cluster bridge to every other running node connected */
    private synchronized boolean isBridged() {
        final int running = (servers[0] != null ? 1 : 0) + (servers[1] != null ? 1 : 0);
        for (EmbeddedActiveMQ server : servers) {
            if (server != null) {
                final ClusterConnection connection =
                        server.getActiveMQServer().getClusterManager().getClusterConnection(CLUSTER);
                if (connection == null || connection.getNodes().size() < running - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits until {@link #isBridged()}; fails after {@code seconds}. */
    public void awaitBridged(long seconds) {
        await(this::isBridged, seconds, "the cluster bridges between the running nodes");
    }

    /** @return the consumers {@code node} knows of on the other node's queues bound to MQTT topic {@code topic} */
    private synchronized int remoteConsumers(int node, String topic) {
        final ActiveMQServer server = running(node).getActiveMQServer();
        final Bindings bindings;
        try {
            bindings = server.getPostOffice().lookupBindingsForAddress(SimpleString.of(topic.replace('/', '.')));
        } catch (Exception e) {  // Artemis declares a bare Exception
            throw new IllegalStateException("cannot read the bindings of node " + NAMES[node], e);
        }
        return bindings == null ? 0 : bindings.getBindings().stream().mapToInt(
                binding -> binding instanceof RemoteQueueBindingImpl remote ? remote.consumerCount() : 0).sum();
    }

    /** Waits until {@code node} knows of at least one consumer of {@code topic} on the other node. */
    public void awaitRemoteConsumer(int node, String topic, long seconds) {
        await(() -> remoteConsumers(node, topic) > 0, seconds,
                "node " + NAMES[node] + " to learn of a subscriber to " + topic + " on the other node");
    }

    /** @return the queues of the node itself (no binding to a queue on the other node) */
    private static Stream<Queue> localQueues(ActiveMQServer server) {
        return server.getPostOffice().getAllBindings()
                .filter(binding -> binding instanceof LocalQueueBinding)
                .map(binding -> ((LocalQueueBinding) binding).getQueue());
    }

    /** @return whether {@code queue} is a store-and-forward queue of the node, which a cluster bridge consumes */
    private static boolean isStoreAndForward(ActiveMQServer server, Queue queue) {
        return queue.getName().toString().startsWith(server.getInternalNamingPrefix() + "sf." + CLUSTER + ".");
    }

    /** @return the node's store-and-forward queues, one to each other node */
    private static Stream<Queue> storeAndForwardQueues(ActiveMQServer server) {
        return localQueues(server).filter(queue -> isStoreAndForward(server, queue));
    }

    /**
     * Makes {@code node} keep what it routes to the other node from now on: its store-and-forward queues stop
     * delivering to the cluster bridge (a pause not persisted, so a restart resumes it), and this returns once the
     * bridge has nothing unacknowledged. Those messages then wait in the node's journal until it restarts.
     */
    public synchronized void holdForwarding(int node) {
        final ActiveMQServer server = running(node).getActiveMQServer();
        storeAndForwardQueues(server).forEach(Queue::pause);
        await(() -> storeAndForwardQueues(server).mapToLong(Queue::getDeliveringCount).sum() == 0, NODE_WAIT_S,
                "the cluster bridge of node " + NAMES[node] + " to have nothing in flight");
    }

    /**
     * @return the messages the running nodes hold, delivering ones included, in their queues bound to MQTT topic
     *     {@code topic} and in their store-and-forward queues to the other node
     */
    private synchronized long held(String topic) {
        final SimpleString address = SimpleString.of(topic.replace('/', '.'));
        long held = 0;
        for (EmbeddedActiveMQ server : servers) {
            if (server != null) {
                final ActiveMQServer active = server.getActiveMQServer();
                held += localQueues(active)
                        .filter(queue -> address.equals(queue.getAddress()) || isStoreAndForward(active, queue))
                        .mapToLong(Queue::getMessageCount).sum();
            }
        }
        return held;
    }

    /**
     * Waits until the running nodes hold no message for MQTT topic {@code topic}: every one reached its subscribers
     * and was acknowledged by them (a message goes on counting while it is delivered). Fails after {@code seconds}.
     */
    public void awaitDrained(String topic, long seconds) {
        await(() -> held(topic) == 0, seconds, "the nodes to deliver every message for " + topic);
    }

    /** @return true when an MQTT client with this Client Identifier is connected to {@code node} */
    public synchronized boolean hasClient(int node, String clientId) {
        return running(node).getActiveMQServer().getRemotingService().getConnections().stream()
                .anyMatch(connection -> clientId.equals(connection.getClientID()));
    }

    /** @return MQTT clients the node counts as connected: it forgets one only once its DISCONNECT was handled */
    private int mqttClients(int node) {
        if (servers[node] == null) {
            return 0;
        }
        try {
            return MQTTStateManager.getInstance(servers[node].getActiveMQServer()).getConnectedClients().size();
        } catch (Exception e) {  // Artemis declares a bare Exception
            throw new IllegalStateException("cannot read the MQTT clients of node " + NAMES[node], e);
        }
    }

    /**
     * @return the payloads (UTF-8) of the MQTT messages {@code node} accepted but routed to no queue since the
     *     cluster started, each acknowledged all the same (see {@link ArtemisUnroutedMessages})
     */
    public List<String> unrouted(int node) {
        return unrouted[node].payloads();
    }

    private EmbeddedActiveMQ running(int node) {
        if (servers[node] == null) {
            throw new IllegalStateException("node " + NAMES[node] + " is stopped");
        }
        return servers[node];
    }

    /** Polls {@code condition} every 10 ms; fails after {@code seconds}. */
    private static void await(BooleanSupplier condition, long seconds, String what) {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("waited " + seconds + " s for " + what);
            }
            BrokerSupport.sleepMillis(10, what);
        }
    }

    /** Stops both nodes and deletes their directories; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // clients closed just before: let the nodes finish their DISCONNECTs, which write to the journal
            await(() -> mqttClients(0) + mqttClients(1) == 0, 5, "the MQTT clients to leave");
        } catch (IllegalStateException e) {
            LOG.warn("stopping the cluster with MQTT clients still connected: {}", e.getMessage());
        }
        try {
            stop(1);
        } finally {
            try {
                stop(0);
            } finally {
                for (Path directory : directories) {
                    BrokerSupport.deleteRecursively(directory);
                }
            }
        }
    }
}
