package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's NNPACK switch after the engine starts: off exactly when NNPACK does not support this
 * processor, so that a small convolution of one image prints nothing to standard error.
 */
class NnpackTest {

    @Test
    void theSwitchIsOffExactlyWhenNnpackDoesNotSupportThisProcessor() {
        Engines.offline();
        Engines.engine();
        boolean[] state = Nnpack.state(StartedEngine.nativesDir());
        assertNotNull(state, "the loaded libtorch's NNPACK switch should be readable on Linux");
        assertEquals(state[1], state[0], "switch on " + state[0] + ", processor supported " + state[1]);
        assertTrue(Engines.describe().contains("NNPACK: "), Engines.describe());
    }

    @Test
    void aSmallConvolutionOfOneImagePrintsNothingToStandardError(@TempDir Path dir) throws Exception {
        // In a JVM of its own, since what native code prints cannot be caught from Java. Such a
        // convolution (one image, 3x3 kernel, few pixels) is one oneDNN leaves to PyTorch's other
        // kernels, which first ask for NNPACK.
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), SmallConvolution.class.getName())
                .redirectError(log.toFile()).redirectOutput(dir.resolve("out.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
        String stderr = Files.readString(log);
        assertEquals(0, p.exitValue(), stderr);
        assertTrue(Files.readString(dir.resolve("out.log")).contains("convolved 3"), stderr);
        assertFalse(stderr.contains("NNPACK"), stderr);
    }

    /** The child: starts the engine as every entry point does, then convolves one small image three times. */
    static final class SmallConvolution {
        private SmallConvolution() {
        }

        /**
         * @param args none
         */
        public static void main(String[] args) {
            Engines.offline();
            Engines.engine();
            Engines.noGradientsOnThisThread();
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.ones(new Shape(1, 1, 32, 32));
                NDArray w = m.ones(new Shape(1, 1, 3, 3));
                int n = 0;
                for (int i = 0; i < 3; i++) {
                    NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1),
                            new Shape(1, 1), 1).singletonOrThrow();
                    n += y.getFloat(0, 0, 5, 5) == 9f ? 1 : 0;
                }
                System.out.println("convolved " + n);
            }
        }
    }
}
