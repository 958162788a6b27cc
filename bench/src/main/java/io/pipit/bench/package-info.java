/**
 * Benchmarks.
 */
package io.pipit.bench;
