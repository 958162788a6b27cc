package io.pipit.samples.cli;

import io.pipit.mqtt.driver.ServerAddress;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code -L} URL of pub and sub, as mosquitto's tools take it: {@code mqtt://[user[:password]@]host[:port]/topic}.
 * Immutable.
 *
 * @param server {@code mqtt://host:port}, for the client builder
 * @param user the user name, or null
 * @param password the password, or null
 * @param topic the topic from the path, or null when the URL has none
 */
record MqttUrl(String server, String user, String password, String topic) {
    /** Parses {@code -L} values; a bad one is a one-line usage error. */
    static final class Converter implements ITypeConverter<MqttUrl> {
        @Override
        public MqttUrl convert(String value) {
            try {
                URI uri = new URI(value);
                ServerAddress address = ServerAddress.parse(value);
                String userInfo = uri.getUserInfo();
                int colon = userInfo == null ? -1 : userInfo.indexOf(':');
                String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
                String password = colon < 0 ? null : userInfo.substring(colon + 1);
                String path = uri.getPath();
                String topic = path == null || path.length() <= 1 ? null : path.substring(1);
                return new MqttUrl(address.toString(), user, password, topic);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new TypeConversionException("malformed URL '" + value + "': " + e.getMessage());
            }
        }
    }
}
