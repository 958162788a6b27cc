package io.pipit.samples.cli;

import io.pipit.mqtt.ProtocolVersion;
import io.pipit.mqtt.QoS;
import io.pipit.mqtt.codec.FixedHeader;
import io.pipit.mqtt.driver.ServerAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option value converters shared by the commands: each turns a bad value into a one-line error naming what
 * is accepted. Stateless; picocli calls them on the main thread.
 */
public final class Converters {
    private Converters() {
    }

    /** {@code 0}, {@code 1} or {@code 2}. */
    public static final class Qos implements ITypeConverter<QoS> {
        @Override
        public QoS convert(String value) {
            switch (value) {
                case "0": return QoS.AT_MOST_ONCE;
                case "1": return QoS.AT_LEAST_ONCE;
                case "2": return QoS.EXACTLY_ONCE;
                default: throw new TypeConversionException("'" + value + "' is not a QoS: use 0, 1 or 2");
            }
        }
    }

    /** {@code 5} / {@code mqttv5} or {@code 311} / {@code mqttv311}, as mosquitto_pub's {@code -V} takes them. */
    public static final class Version implements ITypeConverter<ProtocolVersion> {
        @Override
        public ProtocolVersion convert(String value) {
            switch (value) {
                case "5": case "mqttv5": return ProtocolVersion.MQTT_5;
                case "311": case "mqttv311": return ProtocolVersion.MQTT_3_1_1;
                default: throw new TypeConversionException("'" + value + "' is not a protocol version: use 5 or 311");
            }
        }
    }

    /**
     * A Maximum Packet Size: a whole number of bytes from 1024 (the client's smallest) to 268,435,460 (the largest
     * packet MQTT can frame), without suffixes.
     */
    public static final class PacketSize implements ITypeConverter<Integer> {
        /** The client's smallest buffers. */
        static final int MIN = 1024;

        @Override
        public Integer convert(String value) {
            long bytes = value.matches("[0-9]{1,10}") ? Long.parseLong(value) : -1;
            if (bytes < MIN || bytes > FixedHeader.MAX_PACKET_SIZE) {
                throw new TypeConversionException("'" + value + "' is not a packet size: give a whole number of bytes, "
                        + MIN + " to " + FixedHeader.MAX_PACKET_SIZE);
            }
            return (int) bytes;
        }
    }

    /** A broker URI, checked now so a typo fails before any connection is tried. */
    public static final class BrokerUri implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                ServerAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }

    /** A duration in milliseconds from {@code 500ms}, {@code 10s}, {@code 2m} or a plain number of seconds. */
    public static final class Millis implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long scale = value.endsWith("ms") ? 1 : value.endsWith("m") ? 60_000 : 1_000;
            String digits = value.replaceFirst("(ms|s|m)$", "");
            if (!digits.matches("[0-9]{1,12}")) { // 12 digits: minutes still fit a long in milliseconds
                throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 10s or 2m");
            }
            return Long.parseLong(digits) * scale;
        }
    }
}
