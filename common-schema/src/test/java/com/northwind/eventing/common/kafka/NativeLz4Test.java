package com.northwind.eventing.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class NativeLz4Test {
    /**
     * lz4-java loaded by a class loader other than the system one, as in a Spring Boot jar: on its own it runs in
     * Java; after {@link NativeLz4#load} Kafka's next lz4 stream gets the native code.
     */
    @Test
    void lz4FromANestedClassLoaderGetsTheNativeCodeOnceLoaded() throws Exception {
        URL lz4Jar = Class.forName("net.jpountz.lz4.LZ4Factory")
                .getProtectionDomain()
                .getCodeSource()
                .getLocation();
        try (URLClassLoader nested = new URLClassLoader(new URL[] {lz4Jar}, ClassLoader.getPlatformClassLoader())) {
            assertThat(fastest(nested)).isNotEqualTo("LZ4Factory:JNI");

            assertThat(NativeLz4.load(nested)).isTrue();

            assertThat(fastest(nested)).isEqualTo("LZ4Factory:JNI");
            assertThat(NativeLz4.load(nested)).isTrue();
        }
    }

    @Test
    void withoutLz4OnTheClassPathThereIsNothingToLoad() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(NativeLz4.load(empty)).isFalse();
        }
    }

    private static String fastest(ClassLoader loader) throws Exception {
        return Class.forName("net.jpountz.lz4.LZ4Factory", true, loader)
                .getMethod("fastestInstance")
                .invoke(null)
                .toString();
    }
}
