package io.pipit.samples.cli;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.MessageListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints what {@code pipit sub} receives, as mosquitto_sub does: the payload's raw bytes (default), the topic
 * then a space then the payload ({@code -v}), or one JSON object ({@code --json}, see {@link JsonLine}); one
 * line per message, flushed at once so a pipe sees it. Called on the client's I/O thread only.
 */
final class MessagePrinter implements MessageListener {
    private final PrintStream out;
    private final boolean verbose;
    private final boolean json;

    MessagePrinter(PrintStream out, boolean verbose, boolean json) {
        this.out = out;
        this.verbose = verbose;
        this.json = json;
    }

    @Override
    public void onMessage(Message message) {
        // Bytes, not print(String): JDK 17's default charset follows the locale and may not be UTF-8.
        if (json) {
            out.writeBytes(JsonLine.of(message).getBytes(StandardCharsets.UTF_8));
        } else {
            if (verbose) {
                out.writeBytes(message.topic().toString().getBytes(StandardCharsets.UTF_8));
                out.write(' ');
            }
            byte[] payload = new byte[message.payloadLength()];
            message.copyPayload(payload, 0);
            out.writeBytes(payload);
        }
        out.write('\n');
        out.flush();
    }
}
