package io.pipit.samples.gateway;

import io.pipit.mqtt.client.MqttClientBuilder;
import java.util.function.Consumer;

/**
 * The gateway's {@code --queue} choice, applied to the publishing client's builder. Stateless.
 */
final class GatewayQueue {
    private GatewayQueue() {
    }

    /**
     * @param spec {@code memory}, or a directory for a file queue
     * @return what to do to the publisher's builder
     * @throws IllegalArgumentException when the choice cannot be served
     */
    static Consumer<MqttClientBuilder> choose(String spec) {
        if (spec.equals("memory")) {
            return builder -> { }; // the client's default: a bounded in-memory queue
        }
        // The one place a crash-safe FileQueue in directory `spec` plugs in, once sdk-core has it.
        throw new IllegalArgumentException("--queue " + spec + ": file queue not available yet; use --queue memory");
    }
}
