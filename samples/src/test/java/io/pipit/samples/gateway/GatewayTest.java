package io.pipit.samples.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pipit.samples.cli.Pipit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code pipit gateway} in this JVM, its stdout captured: the numbers a script reads from it look the same
 * whatever the machine's locale.
 */
class GatewayTest {
    @Test
    void shouldPrintNumbersWithAsciiDigitsAndADecimalPointWhateverTheDefaultLocale() throws Exception {
        // de-DE writes 1.5 as "1,5"; ar-EG writes 1.5 as "١٫٥" and 42 as "٤٢"
        for (Locale locale : new Locale[] {Locale.GERMANY, Locale.forLanguageTag("ar-EG")}) {
            String out = runGateway(locale, "gateway", "--duration", "3s", "--sensors", "1", "--rate", "20");

            assertTrue(Pattern.compile("(?m)^ +[0-9]+\\.[0-9] s  connected +[0-9]+ msg/s  published [0-9]+ ")
                    .matcher(out).find(), locale + ":\n" + out);
            assertTrue(Pattern.compile("(?m)^  sensors 1 at 20 readings/s each, QoS 1, [0-9]+\\.[0-9] s$")
                    .matcher(out).find(), locale + ":\n" + out);
            assertTrue(Pattern.compile("(?m)^  published [0-9]+, confirmed by the broker [0-9]+, refused 0, ")
                    .matcher(out).find(), locale + ":\n" + out);
            assertTrue(Pattern.compile("(?m)^  throughput [0-9]+ msg/s; after the first second, [0-9]+\\.[0-9]{2} "
                    + "bytes allocated").matcher(out).find(), locale + ":\n" + out);
            assertFalse(Pattern.compile("[0-9],[0-9]|[^\\p{ASCII}]").matcher(out).find(), locale + ":\n" + out);
        }
    }

    /** Runs {@code args} under {@code locale} as the default, every category; @return what went to stdout */
    private static String runGateway(Locale locale, String... args) {
        Locale display = Locale.getDefault(Locale.Category.DISPLAY);
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        Locale plain = Locale.getDefault();
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Locale.setDefault(locale);
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Pipit.run(args), () -> captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            Locale.setDefault(plain);
            Locale.setDefault(Locale.Category.DISPLAY, display);
            Locale.setDefault(Locale.Category.FORMAT, format);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
