/**
 * Raspberry Pi sensors and actuators on Pi4J 2.8, published through pipit's MQTT client.
 *
 * <p>A {@link io.pipit.pi4j.Sensor} fills a reused array of readings; a {@link io.pipit.pi4j.TelemetryPublisher}
 * samples sensors on a schedule, formats each sample into one reused buffer ({@link io.pipit.pi4j.JsonFormatter}
 * by default, numbers by {@link io.pipit.pi4j.DecimalWriter}) and publishes it without allocating. Drivers:
 * {@link io.pipit.pi4j.Bme280} (I2C temperature / humidity / pressure), {@link io.pipit.pi4j.Ads1115} (I2C
 * 16-bit ADC), {@link io.pipit.pi4j.DebouncedInput} (button, PIR, reed switch) and the commanded outputs
 * {@link io.pipit.pi4j.SwitchOutput} (LED, relay) and {@link io.pipit.pi4j.PwmOutput} (dimmer, buzzer).
 * {@link io.pipit.pi4j.DeviceTopics} fixes the topic layout and the availability Will;
 * {@link io.pipit.pi4j.HomeAssistantDiscovery} announces every entity to Home Assistant.
 */
package io.pipit.pi4j;
