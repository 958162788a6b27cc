package io.pipit.mqtt.interop;

/**
 * What one scenario showed on one broker: passed (with an optional detail such as the payload size used), or
 * not supported by the broker, quoting the broker's own answer (a CONNACK property or a SUBACK code).
 */
record Outcome(boolean supported, String detail) {
    static Outcome pass() {
        return new Outcome(true, "");
    }

    static Outcome pass(String detail) {
        return new Outcome(true, detail);
    }

    /** @param answer what the broker said, e.g. "CONNACK Shared Subscription Available = 0" */
    static Outcome notSupported(String answer) {
        return new Outcome(false, answer);
    }

    /** @return the matrix cell text */
    String cell() {
        if (!supported) {
            return "not supported by broker (" + detail + ")";
        }
        return detail.isEmpty() ? "pass" : "pass (" + detail + ")";
    }
}
