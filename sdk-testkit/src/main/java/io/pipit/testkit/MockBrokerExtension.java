package io.pipit.testkit;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts a {@link MockBroker} and injects it into any parameter of that type.
 *
 * <p>Lifetime follows where the broker is first asked for: a parameter of a test method, {@code @BeforeEach}
 * or {@code @AfterEach} method gets a broker per test, closed after it; a parameter of a {@code static
 * @BeforeAll} method (or the constructor of a {@code @TestInstance(PER_CLASS)} class) gets one broker for the
 * whole class, closed after all its tests, and every test of the class then receives that same broker.
 *
 * <pre>{@code
 * @MockBrokerTest                       // or @ExtendWith(MockBrokerExtension.class)
 * class DeviceTest {
 *     @Test
 *     void shouldReport(MockBroker broker) { ... }
 * }
 *
 * class StrictBrokerTest {               // non-default limits
 *     @RegisterExtension
 *     static MockBrokerExtension brokers = MockBrokerExtension.configured(b -> b.receiveMaximum(1));
 * }
 * }</pre>
 *
 * <p>Thread-safety: JUnit calls it on the thread running the test; brokers are kept in JUnit's
 * {@link ExtensionContext.Store}, one per context, so parallel test execution gets a broker per test.
 */
public final class MockBrokerExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            MockBrokerExtension.class);
    private static final String KEY = "broker";

    private final Consumer<MockBroker.Builder> configuration;

    /** An extension whose brokers have the default limits. */
    public MockBrokerExtension() {
        this(builder -> { });
    }

    private MockBrokerExtension(Consumer<MockBroker.Builder> configuration) {
        this.configuration = configuration;
    }

    /** @return an extension whose brokers are built with {@code configuration} applied to the builder */
    public static MockBrokerExtension configured(Consumer<MockBroker.Builder> configuration) {
        return new MockBrokerExtension(configuration);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        MockBroker broker = store.get(KEY, MockBroker.class);  // also finds a class-wide broker
        if (broker == null) {
            MockBroker.Builder builder = MockBroker.builder();
            configuration.accept(builder);
            broker = builder.start();
            store.put(KEY, broker);
        }
        return broker;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeOwnBroker(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeOwnBroker(context);
    }

    /** Closes the broker this context started, never one inherited from an enclosing context. */
    private static void closeOwnBroker(ExtensionContext context) {
        MockBroker broker = context.getStore(NAMESPACE).remove(KEY, MockBroker.class);
        if (broker != null) {
            broker.close();
        }
    }
}
