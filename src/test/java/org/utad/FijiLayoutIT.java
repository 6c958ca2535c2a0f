package org.utad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks, after {@code mvn package}, the two install folders. {@code target/fiji/} can be copied over
 * a Fiji.app folder as it is: the plugin jar in plugins/ with its menu file where ImageJ 1.x looks,
 * DJL and the PyTorch natives of the three desktop platforms in jars/, and nothing else: none of the
 * libraries Fiji already ships (a second copy of ImageJ, SciJava, gson, slf4j, jna or commons-* on
 * the class path breaks Fiji in confusing ways), nor Spark, which only the separate Spark job
 * artifact needs. {@code target/imagej/} can be copied into a plain ImageJ 1.x folder: the same
 * plugin jar in plugins/, and in plugins/jars/ the same engine jars plus everything plain ImageJ
 * lacks (gson, slf4j-api with a binding, jna, commons-*), but not ImageJ itself. InstallIT then
 * installs and runs both.
 */
class FijiLayoutIT {
    private static final Path FIJI = Path.of(System.getProperty("utad.fiji.dir", "target/fiji"));
    private static final Path IMAGEJ = Path.of(System.getProperty("utad.imagej.dir", "target/imagej"));
    /** What plain ImageJ lacks and Fiji ships, by jar name prefix. */
    private static final List<String> FIJI_SHIPS = List.of("gson-", "slf4j-api-", "jna-", "commons-compress-",
            "commons-io-", "commons-codec-");
    private static final String DJL = System.getProperty("utad.djl.version", "0.36.0");
    private static final String PYTORCH = System.getProperty("utad.pytorch.version", "2.7.1");

    private static List<String> names(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " is missing: run mvn package first");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void pluginsHoldsExactlyOneUtadJarWithPluginsConfigAtItsRoot() throws IOException {
        List<String> utad = names(FIJI.resolve("plugins")).stream()
                .filter(n -> n.startsWith("UTAD_") && n.endsWith(".jar")).collect(Collectors.toList());
        assertEquals(1, utad.size(), "plugins/ must hold exactly one UTAD_*.jar, has " + utad);
        try (JarFile jar = new JarFile(FIJI.resolve("plugins").resolve(utad.get(0)).toFile())) {
            assertNotNull(jar.getEntry("plugins.config"),
                    "ImageJ 1.x reads plugins.config only from the jar root; it is missing from " + utad.get(0));
            assertNotNull(jar.getEntry("org/utad/core/FloatImage.class"), "the plugin jar holds no classes");
        }
    }

    @Test
    void jarsHoldDjlAndThePyTorchNativesForAllDesktopPlatforms() throws IOException {
        List<String> jars = names(FIJI.resolve("jars"));
        List<String> expected = List.of(
                "api-" + DJL + ".jar",
                "pytorch-engine-" + DJL + ".jar",
                "pytorch-jni-" + PYTORCH + "-" + DJL + ".jar",
                "pytorch-native-cpu-" + PYTORCH + "-linux-x86_64.jar",
                "pytorch-native-cpu-" + PYTORCH + "-win-x86_64.jar",
                "pytorch-native-cpu-" + PYTORCH + "-osx-aarch64.jar");
        for (String name : expected) {
            assertTrue(jars.contains(name), "jars/ lacks " + name + "; it holds " + jars);
        }
    }

    @Test
    void jarsHoldNothingButDjlAndItsNatives() throws IOException {
        List<String> others = names(FIJI.resolve("jars")).stream()
                .filter(n -> !(n.startsWith("api-" + DJL) || n.startsWith("pytorch-")))
                .collect(Collectors.toList());
        assertTrue(others.isEmpty(), "jars/ must hold only what Fiji lacks (DJL and the natives), not " + others);
    }

    @Test
    void thePlainImageJFolderHoldsThePluginAndEverythingItNeedsInPluginsJars() throws IOException {
        List<String> plugins = names(IMAGEJ.resolve("plugins"));
        assertEquals(names(FIJI.resolve("plugins")), plugins, "the same plugin jar in both layouts");
        List<String> jars = names(IMAGEJ.resolve("plugins").resolve("jars"));
        for (String engine : names(FIJI.resolve("jars"))) {
            assertTrue(jars.contains(engine), "plugins/jars/ lacks " + engine + "; it holds " + jars);
        }
        for (String prefix : FIJI_SHIPS) {
            assertEquals(1, jars.stream().filter(n -> n.startsWith(prefix)).count(),
                    "plugins/jars/ must hold exactly one " + prefix + "*.jar; it holds " + jars);
        }
        String api = jars.stream().filter(n -> n.startsWith("slf4j-api-")).findFirst().orElseThrow();
        assertTrue(jars.contains(api.replace("slf4j-api-", "slf4j-nop-")), "slf4j-api needs a binding of its"
                + " version, or it prints warnings at every start; the no-op one fits: " + jars);
        List<String> extra = jars.stream().filter(n -> n.startsWith("ij-") || n.startsWith("UTAD_")
                || n.startsWith("scijava-common-") || n.startsWith("spark-")).collect(Collectors.toList());
        assertTrue(extra.isEmpty(), "plugins/jars/ must not hold ImageJ, SciJava, Spark or the plugin: " + extra);
    }

    @Test
    void neitherTheFijiFolderNorThePluginJarCarriesSpark() throws IOException {
        List<String> spark = names(FIJI.resolve("jars")).stream()
                .filter(n -> n.startsWith("spark-") || n.startsWith("scala-") || n.startsWith("utad-spark"))
                .collect(Collectors.toList());
        assertTrue(spark.isEmpty(), "the Spark job is its own artifact (spark/); jars/ must not hold " + spark);
        String utad = names(FIJI.resolve("plugins")).stream().filter(n -> n.startsWith("UTAD_")).findFirst()
                .orElseThrow();
        try (JarFile jar = new JarFile(FIJI.resolve("plugins").resolve(utad).toFile())) {
            List<String> entries = jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("org/apache/spark/") || n.startsWith("org/utad/spark/"))
                    .collect(Collectors.toList());
            assertTrue(entries.isEmpty(), "the plugin jar must not carry Spark or the Spark job: " + entries);
        }
    }
}
