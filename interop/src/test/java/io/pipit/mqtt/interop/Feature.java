package io.pipit.mqtt.interop;

/** The matrix's columns, in order. */
enum Feature {
    CONNECT("connect"),
    QOS_0("QoS 0"),
    QOS_1("QoS 1"),
    QOS_2("QoS 2"),
    RETAINED("retained"),
    WILL("will"),
    SESSION_RESUME("session resume"),
    UNSUBSCRIBE("unsubscribe"),
    WILDCARDS("wildcards"),
    SHARED("shared subscription"),
    LARGE_PAYLOAD("large payload"),
    BURST("1,000-message ordered burst");

    private final String title;

    Feature(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }
}
