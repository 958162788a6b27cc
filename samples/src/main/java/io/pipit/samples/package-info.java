/**
 * Runnable samples.
 */
package io.pipit.samples;
