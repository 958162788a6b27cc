package io.pipit.mqtt.keepalive;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * Network keys for Java SE, for {@link KeepAliveTuner#network} and {@code MqttClient.networkAvailable}: a
 * string naming the network a device is on, so keepalive results learned on one network are reused when it
 * comes back. Java has no portable way to read the default gateway, so the key is the interface and local
 * address of the default route, which changes when a device moves between networks in practice (a new Wi-Fi,
 * a different DHCP lease, a cellular link). Android adapters use the platform's network handle instead.
 * Thread-safe (stateless).
 */
public final class NetworkKeys {
    /** A documentation address (RFC 5737): connecting a UDP socket to it sends nothing, it only picks a route. */
    private static final InetSocketAddress PROBE = new InetSocketAddress("192.0.2.1", 9);

    private NetworkKeys() {
    }

    /**
     * Reads the route table's choice for the outside world; sends no packet.
     *
     * @return e.g. {@code "wlan0/192.168.1.23"}, or {@code "none"} when there is no route (offline)
     */
    public static String current() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(PROBE);
            InetAddress local = socket.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                return "none";
            }
            NetworkInterface nic = NetworkInterface.getByInetAddress(local);
            return (nic == null ? "?" : nic.getName()) + "/" + local.getHostAddress();
        } catch (IOException e) {
            return "none"; // no route at all: the device is offline, which is itself a network state
        }
    }
}
