package io.pipit.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of one artifact as text: every public type and every public or protected member a user can name,
 * one signature a line, types sorted by name and members sorted within their type. Read by reflection from the
 * compiled classes, so it is what the jar really promises, not what the sources say; deterministic (no order of
 * the class path or of reflection leaks into it), so a committed copy under {@code api/} shows every change of the
 * API in review, as OkHttp's and the HiveMQ client's API dumps do.
 *
 * <p>Stateless; safe from any thread.
 */
public final class PublicApi {
    private PublicApi() {
    }

    /**
     * @param classes the root of the compiled classes, e.g. {@code target/classes}
     * @param loader loads them (the test's own class loader has them)
     * @return the API text, ending in a newline
     */
    public static String of(Path classes, ClassLoader loader) {
        final TreeMap<String, List<String>> types = new TreeMap<>();
        for (String name : classNames(classes)) {
            final Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name + " from " + classes, e);
            }
            if (isVisible(type)) {
                types.put(type.getName(), members(type));
            }
        }
        final StringBuilder text = new StringBuilder();
        types.forEach((name, members) -> {
            text.append(members.get(0)).append(" {\n");
            members.subList(1, members.size()).forEach(member -> text.append("    ").append(member).append('\n'));
            text.append("}\n");
        });
        return text.toString();
    }

    private static List<String> classNames(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(classes::relativize).map(Path::toString)
                    .filter(path -> path.endsWith(".class") && !path.endsWith("module-info.class")
                            && !path.endsWith("package-info.class"))
                    .map(path -> path.substring(0, path.length() - ".class".length()).replace('/', '.')
                            .replace('\\', '.'))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classes, e);
        }
    }

    /** A type a user can name: public, and public all the way out through its enclosing types. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> at = type; at != null; at = at.getEnclosingClass()) {
            if (!Modifier.isPublic(at.getModifiers()) || at.isAnonymousClass() || at.isLocalClass()
                    || at.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    /** @return the type's own line first, then its members' lines, sorted */
    private static List<String> members(Class<?> type) {
        final List<String> members = new ArrayList<>();
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (isVisible(constructor)) {
                members.add(constructor.toGenericString());
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (isVisible(method) && !method.isBridge()) {
                members.add(method.toGenericString());
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (isVisible(field)) {
                members.add(field.toGenericString());
            }
        }
        members.sort(null);
        members.add(0, declaration(type));
        return members;
    }

    private static boolean isVisible(Member member) {
        final int modifiers = member.getModifiers();
        return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && !member.isSynthetic();
    }

    private static String declaration(Class<?> type) {
        final StringBuilder line = new StringBuilder(type.toGenericString());
        final Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum()) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        final Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(interfaces)
                    .map(Type::getTypeName).sorted().collect(Collectors.joining(", ")));
        }
        return line.toString();
    }
}
