/**
 * The scale test: many simulated devices in one JVM against one local mosquitto, for pipit on one shared
 * {@code EventLoop} and for the peer libraries, each in its own child JVM with the same heap and time budget.
 */
package io.pipit.bench.scale;
