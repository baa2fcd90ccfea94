package com.northwind.eventing.common.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Kafka's lz4 use lz4-java's native library when the platform runs from a Spring Boot jar.
 *
 * <p>The firehose is lz4-compressed: the intake compresses every batch and the router decompresses it. lz4-java picks
 * its native (JNI) code only when its own classes were loaded by the JVM's system class loader, or when its native
 * library was loaded explicitly. Inside a Spring Boot jar (the standalone platform and the services) its classes come
 * from Boot's class loader, so it falls back to its pure-Java code, which costs a tenth of the platform's CPU per
 * event. {@link #load()} loads the library explicitly. Where that fails (no library for this platform, no temp dir to
 * unpack it to), lz4-java's Java code still works, so this only logs.
 *
 * <p>lz4-java is a runtime dependency of kafka-clients and is reached by reflection, so that this module does not
 * pin a version of it beside the one Kafka brings.
 */
public final class NativeLz4 {
    private static final Logger log = LoggerFactory.getLogger(NativeLz4.class);
    private static final String NATIVE = "net.jpountz.util.Native";

    private NativeLz4() {}

    /**
     * Loads lz4-java's native library through the class loader that holds lz4-java; once it is loaded, later calls
     * return at once. Kafka asks lz4-java for its fastest code each time it opens a compressed batch, so a client made
     * before this call uses the native code from then on too.
     *
     * @return whether the native library is loaded
     */
    public static boolean load() {
        return load(NativeLz4.class.getClassLoader());
    }

    static synchronized boolean load(ClassLoader loader) {
        try {
            Class<?> nativeClass = Class.forName(NATIVE, true, loader);
            nativeClass.getMethod("load").invoke(null); // returns at once when already loaded
            return (Boolean) nativeClass.getMethod("isLoaded").invoke(null);
        } catch (ClassNotFoundException e) {
            return false; // no lz4-java on the class path: no lz4 either
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            log.warn("lz4-java's native library did not load ({}); lz4 runs in Java, slower", String.valueOf(cause));
            return false;
        }
    }
}
