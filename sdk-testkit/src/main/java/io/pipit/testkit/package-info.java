/**
 * In-process mock MQTT 5 broker and JUnit 5 support for application tests (planned).
 */
package io.pipit.testkit;
