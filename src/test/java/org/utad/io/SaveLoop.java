package org.utad.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.Map;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.engine.Engines;

/**
 * A child process for {@link KillDuringSaveTest}: writes a large model bundle to the same file
 * over and over until it is killed, so the test can kill it in the middle of a write.
 */
public final class SaveLoop {
    private SaveLoop() {
    }

    /**
     * Writes forever.
     *
     * @param args the target file
     */
    public static void main(String[] args) {
        Engines.offline();
        Path target = Path.of(args[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            Block big = Linear.builder().setUnits(2048).build();
            big.initialize(m, DataType.FLOAT32, new Shape(1, 2048));
            Map<String, Block> nets = Map.of("big", big);
            Manifest manifest = ModelBundle.manifest(TestModels.tiny(32, Mode.PATCH, 1, 1), 1,
                    new Normalization("fixed8", 0, 255), nets, null, null);
            while (true) {
                ModelBundle.write(target, manifest, nets, true);
            }
        }
    }
}
