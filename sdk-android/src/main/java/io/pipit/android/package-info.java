/**
 * Android adapters for the pipit client, over framework APIs only (no AndroidX), shipped as a plain jar for
 * API 21 and later. {@link io.pipit.android.PipitAndroid#attach} wires a client builder to a {@code Context}
 * in one call: timers on a clock that counts through deep sleep, keepalive alarms that wake a dozing device,
 * reconnects that follow the default network, and a short wake lock around each ping exchange.
 */
package io.pipit.android;
