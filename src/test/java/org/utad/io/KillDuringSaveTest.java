package org.utad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.engine.Engines;

/**
 * Kills a real JVM (SIGKILL) while it is writing model bundles, several times at different moments,
 * and checks that the file under the final name is always a complete, loadable bundle.
 */
class KillDuringSaveTest {

    @Test
    void aKilledWriterNeverLeavesACorruptBundleUnderTheFinalName(@TempDir Path dir) throws Exception {
        Engines.offline();
        Path target = dir.resolve("model.utad");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long[] delays = {40, 170, 330};
        for (long delay : delays) {
            Process p = new ProcessBuilder(javaBin, "-Xmx512m", "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), SaveLoop.class.getName(), target.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Object before = Files.exists(target) ? Files.readAttributes(target,
                    BasicFileAttributes.class).fileKey() : null;
            while (System.nanoTime() < deadline && p.isAlive() && (!Files.exists(target) || Objects.equals(
                    before, Files.readAttributes(target, BasicFileAttributes.class).fileKey()))) {
                Thread.sleep(10);
            }
            assertTrue(p.isAlive(), "the writer died on its own: " + Files.readString(dir.resolve("child.log")));
            Thread.sleep(delay);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Manifest m = ModelBundle.readManifest(target);
            try (NDManager nd = NDManager.newBaseManager()) {
                Block big = Linear.builder().setUnits(2048).build();
                big.initialize(nd, DataType.FLOAT32, new Shape(1, 2048));
                ModelBundle.loadParameters(target, m, Map.of("big", big), nd);
                assertEquals(2048L * 2048, big.getParameters().get(0).getValue().getArray().size());
            }
        }
        List<File> visible = List.of(dir.toFile().listFiles(f -> !f.getName().startsWith(".")));
        assertTrue(visible.stream().allMatch(f -> f.getName().equals("model.utad") || f.getName().equals("child.log")),
                "only the model (and the child's log) may be visible: " + visible);
    }
}
