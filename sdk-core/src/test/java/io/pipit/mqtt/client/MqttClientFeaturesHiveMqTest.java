package io.pipit.mqtt.client;

import static io.pipit.mqtt.client.InteropSupport.brief;
import static io.pipit.mqtt.client.InteropSupport.properties;
import static io.pipit.mqtt.client.InteropSupport.publish;
import static io.pipit.mqtt.client.InteropSupport.subscriptionIdentifiers;
import static io.pipit.mqtt.client.InteropSupport.take;
import static io.pipit.mqtt.client.InteropSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.Topic;
import io.pipit.mqtt.codec.BinaryView;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.Utf8View;
import io.pipit.mqtt.testing.HiveMqBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MQTT 5 features of the client through HiveMQ CE embedded: a request/response round trip on Response Topic and
 * Correlation Data, User Properties kept in order, Subscription Identifiers dispatching overlapping subscriptions
 * to the right listener, shared subscriptions, and topic names resolved when the client allows topic aliases.
 * The broker is shared by the whole test run, so every client id and topic is unique to its test.
 */
@ExtendWith(HiveMqBroker.Extension.class)
final class MqttClientFeaturesHiveMqTest {
    private final HiveMqBroker broker;

    MqttClientFeaturesHiveMqTest(HiveMqBroker broker) {
        this.broker = broker;
    }

    private MqttClientBuilder client(String id) {
        return MqttClient.builder().server(broker.uri()).clientId(id).connectTimeout(5, TimeUnit.SECONDS);
    }

    /**
     * The responder answers from inside its listener (on its I/O thread): it publishes to the request's Response
     * Topic and echoes its Correlation Data, which is how an MQTT 5 service is written.
     */
    @Test
    void shouldAnswerARequestOnItsResponseTopicWithItsCorrelationData() throws Exception {
        final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        final BlockingQueue<String> responses = new LinkedBlockingQueue<>();
        try (MqttClient responder = client("hmq-responder").build();
                MqttClient requester = client("hmq-requester").build()) {
            responder.connect();
            final MqttProperties reply = new MqttProperties();  // reused: publish reads it during the call only
            responder.subscribe("hmq-svc/time/req", QoS.AT_LEAST_ONCE, m -> {
                requests.add(properties(m));
                final Utf8View responseTopic = m.properties().string(Property.RESPONSE_TOPIC);
                final BinaryView correlation = m.properties().binary(Property.CORRELATION_DATA);
                reply.clear().put(Property.CORRELATION_DATA, correlation.toByteArray());
                final byte[] answer = utf8("12:00 for " + m.payloadAsString());
                responder.publish(Topic.of(responseTopic.toString()), answer, 0, answer.length, QoS.AT_LEAST_ONCE,
                        false, reply);
            }).get(5, TimeUnit.SECONDS);
            requester.connect();
            requester.subscribe("hmq-svc/time/resp/hmq-requester", QoS.AT_LEAST_ONCE,
                    m -> responses.add(m.payloadAsString() + " " + properties(m))).get(5, TimeUnit.SECONDS);
            final MqttProperties request = new MqttProperties();
            for (int i = 1; i <= 2; i++) {
                request.clear().string(Property.RESPONSE_TOPIC, "hmq-svc/time/resp/hmq-requester")
                        .put(Property.CORRELATION_DATA, utf8("req-" + i));
                final byte[] payload = utf8("q" + i);
                requester.publish(Topic.of("hmq-svc/time/req"), payload, 0, payload.length, QoS.AT_LEAST_ONCE, false,
                        request);
            }
            assertEquals(List.of("response=hmq-svc/time/resp/hmq-requester correlation=req-1 users=[] subIds=[1]",
                    "response=hmq-svc/time/resp/hmq-requester correlation=req-2 users=[] subIds=[1]"),
                    take(requests, 2, 5));
            assertEquals(List.of("12:00 for q1 correlation=req-1 users=[] subIds=[1]",
                    "12:00 for q2 correlation=req-2 users=[] subIds=[1]"), take(responses, 2, 5));
        }
    }

    @Test
    void shouldCarryUserPropertiesInOrderWithRepeatedKeys() throws Exception {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (MqttClient subscriber = client("hmq-users-sub").build();
                MqttClient publisher = client("hmq-users-pub").build()) {
            subscriber.connect();
            subscriber.subscribe("hmq-users/#", QoS.EXACTLY_ONCE, m -> received.add(brief(m) + " " + properties(m)))
                    .get(5, TimeUnit.SECONDS);
            publisher.connect();
            final MqttProperties properties = new MqttProperties().addUserProperty("trace", "abc")
                    .addUserProperty("hop", "gateway").addUserProperty("hop", "edge").addUserProperty("ünï", "çødé");
            for (QoS qos : QoS.values()) {
                final byte[] payload = utf8("v" + qos.value());
                publisher.publish(Topic.of("hmq-users/x"), payload, 0, payload.length, qos, false, properties);
            }
            final String users = " users=[trace=abc, hop=gateway, hop=edge, ünï=çødé] subIds=[1]";
            // Sorted: HiveMQ may deliver the QoS 0 copy after the QoS 1 one (order is promised per QoS only).
            assertEquals(List.of("hmq-users/x=v0@0" + users, "hmq-users/x=v1@1" + users, "hmq-users/x=v2@2" + users),
                    new ArrayList<>(new TreeSet<>(take(received, 3, 5))));
        }
    }

    /**
     * Two overlapping subscriptions on one client, each with its own listener: a message matching both reaches
     * both listeners once each, a message matching one reaches that one only. HiveMQ CE sends a message that
     * matches both as one PUBLISH carrying both Subscription Identifiers (spec 3.3.4 allows either that or one
     * PUBLISH per subscription), so the client must fan it out to both listeners.
     */
    @Test
    void shouldDispatchOverlappingSubscriptionsBySubscriptionIdentifier() throws Exception {
        final BlockingQueue<String> byArea = new LinkedBlockingQueue<>();
        final BlockingQueue<String> byKind = new LinkedBlockingQueue<>();
        try (MqttClient subscriber = client("hmq-subid-sub").build();
                MqttClient publisher = client("hmq-subid-pub").build()) {
            subscriber.connect();
            subscriber.subscribe("hmq-subid/a/#", QoS.AT_LEAST_ONCE,
                    m -> byArea.add(m.topic() + " " + subscriptionIdentifiers(m))).get(5, TimeUnit.SECONDS);
            subscriber.subscribe("hmq-subid/+/x", QoS.AT_LEAST_ONCE,
                    m -> byKind.add(m.topic() + " " + subscriptionIdentifiers(m))).get(5, TimeUnit.SECONDS);
            publisher.connect();
            for (String topic : new String[] {"hmq-subid/a/x", "hmq-subid/a/y", "hmq-subid/b/x", "hmq-subid/b/y"}) {
                publish(publisher, topic, "v", QoS.AT_LEAST_ONCE, false);
            }
            // Identifiers are numbered per client from 1, in subscribe order.
            assertEquals(List.of("hmq-subid/a/x [1, 2]", "hmq-subid/a/y [1]"), take(byArea, 3, 2));
            assertEquals(List.of("hmq-subid/a/x [1, 2]", "hmq-subid/b/x [2]"), take(byKind, 3, 1));
        }
    }

    @Test
    void shouldDeliverEachJobToExactlyOneMemberOfASharedSubscription() throws Exception {
        final int jobs = 20;
        final BlockingQueue<String> done = new LinkedBlockingQueue<>();
        final AtomicInteger byA = new AtomicInteger();
        final AtomicInteger byB = new AtomicInteger();
        try (MqttClient a = client("hmq-worker-a").build();
                MqttClient b = client("hmq-worker-b").build();
                MqttClient producer = client("hmq-producer").build()) {
            a.connect();
            b.connect();
            a.subscribe("$share/hmq-workers/hmq-jobs/#", QoS.AT_LEAST_ONCE, m -> {
                byA.incrementAndGet();
                done.add(m.payloadAsString());
            }).get(5, TimeUnit.SECONDS);
            b.subscribe("$share/hmq-workers/hmq-jobs/#", QoS.AT_LEAST_ONCE, m -> {
                byB.incrementAndGet();
                done.add(m.payloadAsString());
            }).get(5, TimeUnit.SECONDS);
            producer.connect();
            for (int i = 0; i < jobs; i++) {
                publish(producer, "hmq-jobs/x", "job" + i, QoS.AT_LEAST_ONCE, false);
            }
            final List<String> got = take(done, jobs + 1, 2);  // one more than sent: a duplicate would show
            final Set<String> distinct = new TreeSet<>(got);
            assertEquals(jobs, got.size(), "each job once across the group: " + got);
            assertEquals(jobs, distinct.size(), "no job twice: " + got);
            assertEquals(jobs, byA.get() + byB.get());
        }
    }

    /**
     * The client announces a Topic Alias Maximum of 10; every message must still reach the listener with its full
     * topic name, aliased or not. HiveMQ CE 2025.5 never sends aliases to clients (its MQTT 5 PUBLISH encoder
     * writes no Topic Alias; measured here: 0 of 20 messages carried one), so against it this proves the
     * announcement is accepted and changes nothing; alias resolution itself needs a broker that sends them.
     */
    @Test
    void shouldAlwaysGiveTheFullTopicNameWhenTheServerMayUseAliases() throws Exception {
        final int rounds = 10;
        final String[] topics = {"hmq-alias/sensors/temperature/living-room", "hmq-alias/sensors/humidity/cellar"};
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final AtomicInteger aliased = new AtomicInteger();
        try (MqttClient subscriber = client("hmq-alias-sub").topicAliasMaximum(10).build();
                MqttClient publisher = client("hmq-alias-pub").build()) {
            subscriber.connect();
            subscriber.subscribe("hmq-alias/#", QoS.AT_LEAST_ONCE, (Message m) -> {
                if (m.properties().has(Property.TOPIC_ALIAS)) {
                    aliased.incrementAndGet();
                }
                received.add(brief(m));
            }).get(5, TimeUnit.SECONDS);
            publisher.connect();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                for (String topic : topics) {
                    publish(publisher, topic, "r" + i, QoS.AT_LEAST_ONCE, false);
                    expected.add(topic + "=r" + i + "@1");
                }
            }
            final List<String> got = take(received, expected.size(), 5);
            assertEquals(expected, got, "full topic names; messages that came with a Topic Alias: " + aliased.get());
        }
    }
}
