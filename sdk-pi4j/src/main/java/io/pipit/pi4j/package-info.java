/**
 * Raspberry Pi sensor adapters built on Pi4J (planned).
 */
package io.pipit.pi4j;
