package io.pipit.testkit.internal;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.ReasonCode;
import io.pipit.mqtt.codec.ConnackEncoder;
import io.pipit.mqtt.codec.ConnectView;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.codec.MqttCodecException;
import io.pipit.mqtt.codec.MqttProperties;
import io.pipit.mqtt.codec.PacketType;
import io.pipit.mqtt.codec.Property;
import io.pipit.mqtt.codec.ReasonCodes;
import io.pipit.mqtt.codec.ReasonView;
import io.pipit.testkit.AuthResult;
import io.pipit.testkit.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's beginning and end: CONNECT (Client Identifier assignment, limits, scripted refusals,
 * authentication including AUTH exchanges), session take-over and resumption, CONNACK with the broker's
 * limits; DISCONNECT; and what follows a lost connection (Will with its delay, Session Expiry).
 *
 * <p>Thread-safety: confined to the loop thread. The {@link Authenticator} is called on it.
 */
final class ConnectFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectFlow.class);

    /** What a CONNECT asked for, kept while an AUTH exchange runs. */
    static final class Pending {
        boolean cleanStart;
        long expirySeconds;
        boolean assigned;
        String userName;
        byte[] password;
    }

    private final Broker broker;
    private int generatedIds;

    ConnectFlow(Broker broker) {
        this.broker = broker;
    }

    /** Learns the version and Client Identifier before the CONNECT is recorded (assigning one when empty). */
    void identify(Connection c, ConnectView v) {
        c.version(v.version());
        String id = v.clientId().toString();
        Pending p = new Pending();
        if (id.isEmpty()) {
            String configured = broker.settings().assignedClientIdentifier();
            id = configured != null ? configured : "pipit-mock-" + ++generatedIds;
            p.assigned = true;
        }
        c.clientId = id;
        c.pending = p;
    }

    void onConnect(Connection c, ConnectView v) {
        if (c.state != Connection.State.AWAIT_CONNECT) {
            broker.disconnect(c, ReasonCode.PROTOCOL_ERROR, null);
            return;
        }
        Settings settings = broker.settings();
        if (settings.mqtt311Only() && c.mqtt5()) {
            refuseVersion(c);
            return;
        }
        Pending p = c.pending;
        p.cleanStart = v.cleanStart();
        p.expirySeconds = c.mqtt5() ? v.properties().number(Property.SESSION_EXPIRY_INTERVAL, 0)
                : v.cleanStart() ? 0 : Settings.NEVER_EXPIRES;
        p.userName = v.hasUserName() ? v.userName().toString() : null;
        p.password = v.hasPassword() ? v.password().toByteArray() : null;
        c.keepAliveSeconds = settings.serverKeepAliveSeconds() >= 0 ? settings.serverKeepAliveSeconds()
                : v.keepAliveSeconds();
        c.clientReceiveMaximum = (int) v.properties().number(Property.RECEIVE_MAXIMUM, 65_535);
        c.clientMaximumPacketSize = (int) Math.min(FixedHeader.MAX_PACKET_SIZE,
                v.properties().number(Property.MAXIMUM_PACKET_SIZE, FixedHeader.MAX_PACKET_SIZE));
        c.clientTopicAliasMaximum = (int) v.properties().number(Property.TOPIC_ALIAS_MAXIMUM, 0);
        FaultRules.Rule refusal = broker.faults().refusal(c.clientId);
        if (refusal != null) {
            refuse(c, refusal.reasonCode(), refusal.serverReference());
            return;
        }
        if (v.hasWill() && v.willQos() > settings.maximumQos()) {
            refuse(c, ReasonCode.QOS_NOT_SUPPORTED, null);
            return;
        }
        if (v.hasWill() && v.willRetain() && !settings.retainAvailable()) {
            refuse(c, ReasonCode.RETAIN_NOT_SUPPORTED, null);
            return;
        }
        if (v.hasWill()) {
            c.will = Message.of(v.willTopic().toString(), v.willPayload().toByteArray(), v.willQos(), v.willRetain(),
                    c.clientId, v.willProperties());
            c.willDelaySeconds = v.willProperties().number(Property.WILL_DELAY_INTERVAL, 0);
        }
        String method = v.properties().has(Property.AUTHENTICATION_METHOD)
                ? v.properties().string(Property.AUTHENTICATION_METHOD).toString() : null;
        byte[] data = v.properties().binary(Property.AUTHENTICATION_DATA).toByteArray();
        authenticate(c, method, data, false);
    }

    /** Runs one authentication step; step 0 is the CONNECT (or the AUTH 0x19 that starts re-authentication). */
    private void authenticate(Connection c, String method, byte[] data, boolean reauth) {
        Authenticator authenticator = broker.settings().authenticator();
        if (authenticator == null) {
            if (method != null) {
                refuse(c, ReasonCode.BAD_AUTHENTICATION_METHOD, null);
            } else {
                accept(c, null, null);
            }
            return;
        }
        Pending p = c.pending;
        AuthResult result = authenticator.authenticate(new Credentials(c.clientId, p.userName, p.password, method,
                data, c.authStep, reauth));
        LOG.debug("authenticator says {} to {} (step {})", result, c.clientId, c.authStep);
        c.authStep++;
        c.authMethod = method;
        switch (result.verdict()) {
            case ACCEPT:
                if (c.state == Connection.State.CONNECTED) {
                    sendAuth(c, ReasonCode.SUCCESS, method, result.data());
                    c.authStep = 0;
                } else {
                    accept(c, method, result.data());
                }
                break;
            case CHALLENGE:
                if (method == null) {
                    LOG.warn("authenticator challenged {} but it did not ask for enhanced authentication", c);
                    refuse(c, ReasonCode.NOT_AUTHORIZED, null);
                    return;
                }
                if (c.state == Connection.State.AWAIT_CONNECT) {
                    c.state = Connection.State.AUTHENTICATING;
                }
                sendAuth(c, ReasonCode.CONTINUE_AUTHENTICATION, method, result.data());
                break;
            default:
                if (c.state == Connection.State.CONNECTED) {
                    int code = result.reasonCode();
                    broker.disconnect(c, ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.DISCONNECT, code)
                            ? code : ReasonCode.NOT_AUTHORIZED, null);
                } else {
                    refuse(c, result.reasonCode(), null);
                }
        }
    }

    void onAuth(Connection c, ReasonView r) {
        String method = r.properties().has(Property.AUTHENTICATION_METHOD)
                ? r.properties().string(Property.AUTHENTICATION_METHOD).toString() : null;
        boolean reauthStart = c.state == Connection.State.CONNECTED && r.reasonCode() == ReasonCode.RE_AUTHENTICATE;
        boolean continuing = r.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION && c.authStep > 0;
        if (method == null || !method.equals(c.authMethod) || !(reauthStart || continuing)) {
            broker.disconnect(c, ReasonCode.PROTOCOL_ERROR, null);
            return;
        }
        if (reauthStart) {
            c.authStep = 0;
        }
        authenticate(c, method, r.properties().binary(Property.AUTHENTICATION_DATA).toByteArray(),
                c.state == Connection.State.CONNECTED);
    }

    private void sendAuth(Connection c, int code, String method, byte[] data) {
        MqttProperties props = new MqttProperties().put(Property.AUTHENTICATION_METHOD,
                method.getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            props.put(Property.AUTHENTICATION_DATA, data);
        }
        c.send(PacketType.AUTH, 0, dst -> io.pipit.mqtt.codec.ReasonEncoder.encode(dst, PacketType.AUTH, c.version,
                code, props));
    }

    /** Sends a refusing CONNACK (3.1.1 clients get the nearest return code) and closes once it is written. */
    private void refuse(Connection c, int reasonCode, String serverReference) {
        MqttProperties props = new MqttProperties();
        if (c.mqtt5() && serverReference != null) {
            props.put(Property.SERVER_REFERENCE, serverReference.getBytes(StandardCharsets.UTF_8));
        }
        int code = c.mqtt5() ? reasonCode : returnCode(reasonCode);
        c.send(PacketType.CONNACK, 0, dst -> ConnackEncoder.encode(dst, c.version, false, code, props));
        c.closeAfterFlush();
    }

    /**
     * A 3.1.1-only broker's answer to a 5.0 CONNECT (3.1.1 spec MQTT-3.1.2-2): a 3.1.1 CONNACK with return code
     * 0x01, unacceptable protocol version ({@code 20 02 00 01}), then the connection closes.
     */
    private void refuseVersion(Connection c) {
        c.version(ProtocolVersion.MQTT_3_1_1); // the CONNACK is a 3.1.1 one, and is recorded as such
        c.send(PacketType.CONNACK, 0, dst -> ConnackEncoder.encode(dst, ProtocolVersion.MQTT_3_1_1, false, 1, null));
        c.closeAfterFlush();
    }

    /** Maps an MQTT 5 CONNACK reason code to the MQTT 3.1.1 return code that means the same (spec 3.2.2.3). */
    static int returnCode(int reasonCode) {
        switch (reasonCode) {
            case ReasonCode.UNSUPPORTED_PROTOCOL_VERSION: return 1;
            case ReasonCode.CLIENT_IDENTIFIER_NOT_VALID: return 2;
            case ReasonCode.BAD_USER_NAME_OR_PASSWORD: return 4;
            case ReasonCode.NOT_AUTHORIZED:
            case ReasonCode.BAD_AUTHENTICATION_METHOD:
            case ReasonCode.BANNED: return 5;
            default: return 3;
        }
    }

    /** A CONNECT that did not decode: CONNACK with the codec's reason where the version allows, then close. */
    void refuseMalformedConnect(Connection c, MqttCodecException e) {
        int code = e.reasonCode();
        boolean v5 = c.mqtt5() && ReasonCodes.isValid(ProtocolVersion.MQTT_5, PacketType.CONNACK, code);
        if (code == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION || code == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID
                || v5) {
            refuse(c, code, null);
        } else {
            broker.connectionLost(c, "malformed CONNECT: " + e.getMessage());
        }
    }

    /** Takes over or resumes the session, sends CONNACK with the broker's limits, resends what was in flight. */
    private void accept(Connection c, String method, byte[] authData) {
        Settings settings = broker.settings();
        Pending p = c.pending;
        Session s = broker.sessions().get(c.clientId);
        if (s != null && s.connection != null) {
            Connection old = s.connection;
            LOG.debug("{} takes over the session of {}", c, old);
            broker.disconnect(old, ReasonCode.SESSION_TAKEN_OVER, null);
            broker.connectionLost(old, "session taken over");
            s = broker.sessions().get(c.clientId);  // gone when the old connection's session expired with it
        }
        if (s != null && p.cleanStart) {
            endSession(s);
            s = null;
        }
        boolean present = s != null;
        if (s == null) {
            s = new Session(c.clientId);
            broker.sessions().put(c.clientId, s);
        }
        s.cancelTimers();
        s.pendingWill = null;
        long granted = Math.min(p.expirySeconds, settings.maximumSessionExpirySeconds());
        s.expirySeconds = granted;
        s.connection = c;
        c.session = s;
        c.state = Connection.State.CONNECTED;
        MqttProperties props = c.mqtt5() ? connackProperties(c, granted, method, authData) : null;
        broker.log().connected(c.clientId);
        boolean claimed = broker.faults().claimSessionPresent(c.clientId) || present; // a fault may claim one
        c.send(PacketType.CONNACK, 0, dst -> ConnackEncoder.encode(dst, c.version, claimed, 0, props));
        if (present) {
            broker.deliveries().resume(s);
        }
    }

    private MqttProperties connackProperties(Connection c, long grantedExpiry, String method, byte[] authData) {
        Settings settings = broker.settings();
        MqttProperties props = new MqttProperties();
        if (settings.receiveMaximum() < 65_535) {
            props.put(Property.RECEIVE_MAXIMUM, settings.receiveMaximum());
        }
        props.put(Property.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum());
        if (settings.maximumQos() < 2) {
            props.put(Property.MAXIMUM_QOS, settings.maximumQos());
        }
        if (!settings.retainAvailable()) {
            props.put(Property.RETAIN_AVAILABLE, 0);
        }
        if (settings.maximumPacketSize() < FixedHeader.MAX_PACKET_SIZE) {
            props.put(Property.MAXIMUM_PACKET_SIZE, settings.maximumPacketSize());
        }
        if (settings.serverKeepAliveSeconds() >= 0) {
            props.put(Property.SERVER_KEEP_ALIVE, settings.serverKeepAliveSeconds());
        }
        if (c.pending.assigned) {
            props.put(Property.ASSIGNED_CLIENT_IDENTIFIER, c.clientId.getBytes(StandardCharsets.UTF_8));
        }
        if (grantedExpiry != c.pending.expirySeconds) {
            props.put(Property.SESSION_EXPIRY_INTERVAL, grantedExpiry);
        }
        if (method != null) {
            props.put(Property.AUTHENTICATION_METHOD, method.getBytes(StandardCharsets.UTF_8));
            if (authData != null) {
                props.put(Property.AUTHENTICATION_DATA, authData);
            }
        }
        return props;
    }

    void onDisconnect(Connection c, ReasonView r) {
        Session s = c.session;
        long expiry = r.properties().number(Property.SESSION_EXPIRY_INTERVAL, -1);
        if (expiry >= 0 && s != null) {
            if (s.expirySeconds == 0 && expiry > 0) {
                broker.disconnect(c, ReasonCode.PROTOCOL_ERROR, null);  // spec 3.14.2.2.2
                return;
            }
            s.expirySeconds = Math.min(expiry, broker.settings().maximumSessionExpirySeconds());
        }
        if (r.reasonCode() == ReasonCode.NORMAL_DISCONNECTION) {
            c.will = null;
        }
        broker.connectionLost(c, String.format("DISCONNECT 0x%02X", r.reasonCode()));
    }

    /** Publishes or schedules the Will, and ends the session now or when its expiry interval has passed. */
    void afterConnectionLost(Connection c, Session s) {
        if (c.will != null) {
            long delay = Math.min(c.willDelaySeconds, s.expirySeconds);
            if (delay == 0) {
                broker.publish(c.will);
            } else {
                s.pendingWill = c.will;
                s.willTimer = broker.loop().schedule(TimeUnit.SECONDS.toNanos(delay), () -> publishPendingWill(s));
            }
        }
        if (s.expirySeconds == 0) {
            endSession(s);
        } else if (s.expirySeconds != Settings.NEVER_EXPIRES) {
            s.expiryTimer = broker.loop().schedule(TimeUnit.SECONDS.toNanos(s.expirySeconds), () -> endSession(s));
        }
    }

    private void publishPendingWill(Session s) {
        Message will = s.pendingWill;
        s.pendingWill = null;
        s.willTimer = null;
        if (will != null) {
            broker.publish(will);
        }
    }

    /** Ends a session: its delayed Will is published now (spec 3.1.3.2.2), then it is forgotten. */
    private void endSession(Session s) {
        publishPendingWill(s);
        s.cancelTimers();
        if (broker.sessions().get(s.clientId) == s) {
            broker.sessions().remove(s.clientId);
        }
    }
}
