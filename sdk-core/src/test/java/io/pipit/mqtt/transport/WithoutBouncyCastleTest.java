package io.pipit.mqtt.transport;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle is optional: sdk-core's classes, loaded where no BouncyCastle jar is visible, still do JDK TLS,
 * and asking for TLS-PSK fails at build time naming the jar to add.
 */
class WithoutBouncyCastleTest {
    @Test
    void shouldWorkWithoutBouncyCastleAndNameTheJarWhenPskIsAskedFor() throws Exception {
        URL core = TlsOptions.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {core, slf4j}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.bouncycastle.tls.TlsClientProtocol"));
            Class<?> options = loader.loadClass(TlsOptions.class.getName());
            Object defaults = options.getMethod("defaults").invoke(null);
            Object transport = loader.loadClass(TlsTransport.class.getName())
                    .getConstructor(String.class, int.class, options).newInstance("127.0.0.1", 8883, defaults);
            assertNotNull(transport.toString());

            Object builder = options.getMethod("builder").invoke(null);
            builder.getClass().getMethod("psk", String.class, byte[].class).invoke(builder, "device-1", new byte[] {1});
            InvocationTargetException failure = assertThrows(InvocationTargetException.class,
                    () -> builder.getClass().getMethod("build").invoke(builder));
            assertInstanceOf(IllegalStateException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("TLS-PSK needs BouncyCastle TLS")
                    && failure.getCause().getMessage().contains("org.bouncycastle:bctls-jdk18on:1.84"),
                    failure.getCause().getMessage());
        }
    }
}
