package io.pipit.mqtt.transport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLParameters;

/**
 * SNI and ALPN settings through reflection: {@code SSLParameters.setServerNames} exists from Java 8 but only
 * from Android API 24, {@code setApplicationProtocols} from Java 9 (and 8u252) and Android API 29, while
 * sdk-core runs on API 21. Called once per connection, so reflection costs nothing that matters. Stateless.
 */
final class SslParametersCompat {
    private SslParametersCompat() {
    }

    /** Sends {@code name} in SNI instead of the host the engine was created for. */
    static void serverName(SSLParameters parameters, String name) {
        try {
            Class<?> hostName = Class.forName("javax.net.ssl.SNIHostName");
            Object sni = hostName.getConstructor(String.class).newInstance(name);
            invoke(parameters, "setServerNames", List.class, Collections.singletonList(sni));
        } catch (ReflectiveOperationException e) {
            throw unsupported("setting the SNI server name", "Java 8 or Android 7 (API 24)", e);
        }
    }

    /** Offers these ALPN protocols. */
    static void applicationProtocols(SSLParameters parameters, List<String> protocols) {
        try {
            invoke(parameters, "setApplicationProtocols", String[].class, protocols.toArray(new String[0]));
        } catch (ReflectiveOperationException e) {
            throw unsupported("ALPN", "Java 8u252 or Android 10 (API 29)", e);
        }
    }

    private static void invoke(SSLParameters parameters, String name, Class<?> type, Object argument)
            throws ReflectiveOperationException {
        Method method = SSLParameters.class.getMethod(name, type);
        try {
            method.invoke(parameters, argument);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();  // e.g. an invalid name: the caller's error, unwrapped
            }
            throw e;
        }
    }

    private static IllegalStateException unsupported(String what, String needs, Exception cause) {
        return new IllegalStateException(what + " with the JDK TLS provider needs " + needs
                + "; this platform lacks it", cause);
    }
}
