package io.pipit.samples.cli;

import io.pipit.mqtt.Message;
import io.pipit.mqtt.codec.BinaryView;
import io.pipit.mqtt.codec.PropertiesView;
import io.pipit.mqtt.codec.Property;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One received message as one line of JSON, for {@code pipit sub --json}:
 * <pre>{@code
 * {"topic":"a/b","qos":1,"retain":false,"payload":"21.5","properties":{"contentType":"text/plain",
 *  "messageExpiryInterval":60,"responseTopic":"r","correlationData":"42","userProperties":[{"key":"k","value":"v"}]}}
 * }</pre>
 * Binary data that is not UTF-8 (payload, Correlation Data) appears base64-encoded under the name with
 * {@code Base64} appended ({@code payloadBase64}, {@code correlationDataBase64}). Properties the message does
 * not carry are left out. Allocates (a String per message): a tool, not the SDK's message path. Stateless.
 */
final class JsonLine {
    private JsonLine() {
    }

    /** @return the JSON object for {@code message}, without a line end */
    static String of(Message message) {
        StringBuilder json = new StringBuilder(128 + 2 * message.payloadLength());
        json.append("{\"topic\":");
        string(json, message.topic());
        json.append(",\"qos\":").append(message.qos()).append(",\"retain\":").append(message.retain());
        byte[] payload = new byte[message.payloadLength()];
        message.copyPayload(payload, 0);
        binary(json, "payload", payload);
        json.append(",\"properties\":{");
        properties(json, message.properties());
        return json.append("}}").toString();
    }

    private static void properties(StringBuilder json, PropertiesView properties) {
        int start = json.length();
        number(json, properties, Property.PAYLOAD_FORMAT_INDICATOR, "payloadFormatIndicator");
        number(json, properties, Property.MESSAGE_EXPIRY_INTERVAL, "messageExpiryInterval");
        if (properties.has(Property.CONTENT_TYPE)) {
            name(json, "contentType");
            string(json, properties.string(Property.CONTENT_TYPE));
        }
        if (properties.has(Property.RESPONSE_TOPIC)) {
            name(json, "responseTopic");
            string(json, properties.string(Property.RESPONSE_TOPIC));
        }
        if (properties.has(Property.CORRELATION_DATA)) {
            binary(json, "correlationData", properties.binary(Property.CORRELATION_DATA));
        }
        if (properties.userPropertyCount() > 0) {
            name(json, "userProperties");
            json.append('[');
            for (int i = 0; i < properties.userPropertyCount(); i++) {
                json.append(i == 0 ? "{\"key\":" : ",{\"key\":");
                string(json, properties.userPropertyKey(i));
                json.append(",\"value\":");
                string(json, properties.userPropertyValue(i));
                json.append('}');
            }
            json.append(']');
        }
        if (properties.subscriptionIdentifierCount() > 0) {
            name(json, "subscriptionIdentifiers");
            json.append('[');
            for (int i = 0; i < properties.subscriptionIdentifierCount(); i++) {
                json.append(i == 0 ? "" : ",").append(properties.subscriptionIdentifier(i));
            }
            json.append(']');
        }
        if (json.length() > start) {
            json.deleteCharAt(start); // the comma name() put before the first property
        }
    }

    private static void number(StringBuilder json, PropertiesView properties, int id, String name) {
        if (properties.has(id)) {
            name(json, name);
            json.append(properties.number(id, 0));
        }
    }

    private static void name(StringBuilder json, String name) {
        json.append(",\"").append(name).append("\":");
    }

    private static void binary(StringBuilder json, String name, BinaryView view) {
        binary(json, name, view.toByteArray());
    }

    /** As text under {@code name} when the bytes are UTF-8, else base64 under {@code nameBase64}. */
    private static void binary(StringBuilder json, String name, byte[] bytes) {
        try {
            CharSequence text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            name(json, name);
            string(json, text);
        } catch (CharacterCodingException notText) {
            name(json, name + "Base64");
            json.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
        }
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 section 7). */
    static void string(StringBuilder json, CharSequence text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
