package io.pipit.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The message an {@link MqttException} shows names its reason code exactly once. */
class MqttExceptionTest {
    @Test
    void shouldAppendTheReasonCodeToAMessageThatDoesNotNameIt() {
        MqttException e = new MqttException(ReasonCode.NOT_AUTHORIZED, "connection failed");
        assertEquals("connection failed (" + ReasonCode.describe(ReasonCode.NOT_AUTHORIZED) + ")", e.getMessage());
        assertEquals(ReasonCode.NOT_AUTHORIZED, e.reasonCode());
    }

    @Test
    void shouldNotRepeatAReasonCodeTheMessageAlreadyNames() {
        String detail = "connection failed: CONNACK " + ReasonCode.describe(ReasonCode.NOT_AUTHORIZED);
        assertEquals(detail, new MqttException(ReasonCode.NOT_AUTHORIZED, detail).getMessage());
    }

    @Test
    void shouldLeaveAMessageWithoutReasonCodeAlone() {
        assertEquals("timed out", new MqttException(MqttException.NO_REASON_CODE, "timed out").getMessage());
    }
}
