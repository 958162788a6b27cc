package io.pipit.mqtt.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link MosquittoBroker} per test class, injected into any {@code MosquittoBroker}
 * parameter (of a {@code @BeforeAll}, a test or a constructor) and closed when the class is done. Skips, or
 * under {@code CI=true} fails, like {@link MosquittoBroker#startOrSkip()}.
 *
 * <pre>{@code
 * @ExtendWith(MosquittoPerClass.class)
 * class MyTest {
 *     @Test void shouldX(MosquittoBroker broker) { ... broker.uri() ... }
 * }
 * }</pre>
 */
public final class MosquittoPerClass implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MosquittoPerClass.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MosquittoBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("broker", key -> new Holder(), Holder.class).broker;
    }

    /** Closes the broker when JUnit discards the class's store (JUnit closes AutoCloseable store values). */
    private static final class Holder implements AutoCloseable {
        private final MosquittoBroker broker = MosquittoBroker.startOrSkip();

        @Override
        public void close() {
            broker.close();
        }
    }
}
