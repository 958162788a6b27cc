package io.pipit.samples.cli;

import io.pipit.samples.pi.PiSensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code pipit pi-sensors}: the Raspberry Pi telemetry sample ({@link PiSensors}), which parses its own options
 * (so that it also runs on its own with {@code java -cp ... io.pipit.samples.pi.PiSensors}); every argument,
 * {@code --help} included, is handed to it unchanged. Runs on the caller's thread.
 */
@Command(name = "pi-sensors", description = "Raspberry Pi BME280, button and LED as MQTT telemetry (mock platform"
        + " off a Pi). 'pipit pi-sensors --help' lists its options.")
final class PiSensorsCommand implements Callable<Integer> {
    @Unmatched
    private List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return PiSensors.run(arguments.toArray(new String[0]));
    }
}
