/**
 * The end-to-end benchmark: {@link io.pipit.bench.e2e.EndToEndBenchmark} measures msg/s, loss and bytes allocated
 * per message through a real broker, for pipit and for a raw-socket reference.
 */
package io.pipit.bench.e2e;
