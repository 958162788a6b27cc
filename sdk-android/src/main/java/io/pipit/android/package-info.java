/**
 * Android adapters for the pipit client (planned).
 */
package io.pipit.android;
