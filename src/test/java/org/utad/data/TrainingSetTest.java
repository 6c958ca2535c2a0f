package org.utad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;
import org.utad.engine.Engines;

/** Preparation validates input; batches have the model's shape, are seeded, and augment correctly. */
class TrainingSetTest {
    private final SyntheticImages gen = new SyntheticImages(7);

    private List<FloatImage> images(int n, int w, int h, int c) {
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FloatImage img = gen.normal(i, w, h, c);
            float[] raw = img.data().clone();
            for (int k = 0; k < raw.length; k++) {
                raw[k] *= 255f;
            }
            out.add(new FloatImage(w, h, c, raw, 8, img.name(), null));
        }
        return out;
    }

    @Test
    void batchesHaveModelShapeAndAreReproducible() {
        Engines.offline();
        TrainingSet set = TrainingSet.prepare(images(5, 80, 70, 1), new Normalization("fixed8", 0, 255), 32,
                Mode.PATCH, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = set.sampleBatch(m, 4, new Random(3), true);
            NDArray b = set.sampleBatch(m, 4, new Random(3), true);
            assertEquals(new Shape(4, 1, 32, 32), a.getShape());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            assertTrue(a.min().getFloat() >= 0f && a.max().getFloat() <= 1f);
        }
    }

    @Test
    void corruptedPairsKeepTheCleanBatchAndDamageOnlyTheInput() {
        Engines.offline();
        TrainingSet set = TrainingSet.prepare(images(5, 80, 70, 1), new Normalization("fixed8", 0, 255), 32,
                Mode.PATCH, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] plain = set.sampleBatch(m, 6, new Random(5), true).toFloatArray();
            NDList all = set.samplePairs(m, 6, new Random(5), true, 1.0);
            NDList none = set.samplePairs(m, 6, new Random(5), true, 0.0);
            assertArrayEquals(plain, all.get(0).toFloatArray(), "the clean half is the ordinary batch");
            assertArrayEquals(plain, none.get(1).toFloatArray(), "corruption 0 leaves the input clean");
            float[] damaged = all.get(1).toFloatArray();
            int sample = 32 * 32;
            for (int b = 0; b < 6; b++) {
                double diff = 0;
                for (int i = b * sample; i < (b + 1) * sample; i++) {
                    diff += Math.abs(damaged[i] - plain[i]);
                }
                assertTrue(diff > 0, "sample " + b + " was damaged at corruption 1");
            }
            assertArrayEquals(damaged, set.samplePairs(m, 6, new Random(5), true, 1.0).get(1).toFloatArray(),
                    "the damage is reproducible from the seed");
        }
    }

    @Test
    void resizeModeScalesEveryImageToModelSize() {
        TrainingSet set = TrainingSet.prepare(images(3, 90, 50, 3), new Normalization("fixed8", 0, 255), 32,
                Mode.RESIZE, 3);
        List<float[]> fixed = set.fixedSamples(4);
        assertEquals(3, fixed.size());
        assertEquals(3 * 32 * 32, fixed.get(0).length);
    }

    @Test
    void splitIsSeededDisjointAndKeepsBothSidesNonEmpty() {
        TrainingSet set = TrainingSet.prepare(images(10, 32, 32, 1), new Normalization("fixed8", 0, 255), 32,
                Mode.RESIZE, 3);
        TrainingSet[] s1 = set.split(0.2, 5);
        TrainingSet[] s2 = set.split(0.2, 5);
        assertEquals(8, s1[0].size());
        assertEquals(2, s1[1].size());
        assertEquals(s1[1].names(), s2[1].names());
        Set<String> all = new HashSet<>(s1[0].names());
        all.addAll(s1[1].names());
        assertEquals(10, all.size());
    }

    @Test
    void augmentationTransformsAreTheEightSymmetries() {
        float[] src = {1, 2, 3, 4};
        float[] dst = new float[4];
        TrainingSet.transform(src, 1, 2, 1, dst, 0);
        assertArrayEquals(new float[] {2, 1, 4, 3}, dst);
        TrainingSet.transform(src, 1, 2, 4, dst, 0);
        assertArrayEquals(new float[] {1, 3, 2, 4}, dst);
        TrainingSet.transform(src, 1, 2, 3, dst, 0);
        assertArrayEquals(new float[] {4, 3, 2, 1}, dst);
    }

    @Test
    void patchModePadsImagesSmallerThanThePatchAndNamesThem() {
        Engines.offline();
        List<FloatImage> mixed = images(2, 80, 70, 1);
        List<FloatImage> small = images(2, 20, 40, 1);
        mixed.add(small.get(0));
        mixed.add(new FloatImage(40, 20, 1, small.get(1).data(), 8, "wide", null));
        TrainingSet set = TrainingSet.prepare(mixed, new Normalization("fixed8", 0, 255), 32, Mode.PATCH, 3);
        assertEquals(List.of(small.get(0).name(), "wide"), set.paddedNames());
        assertEquals(List.of("wide"), set.subset(List.of(3, 0)).paddedNames(), "subsets keep the marks");
        TrainingSet onlySmall = set.subset(List.of(2));
        try (NDManager m = NDManager.newBaseManager()) {
            float[] batch = onlySmall.sampleBatch(m, 8, new Random(1), false).toFloatArray();
            assertEquals(8 * 32 * 32, batch.length);
            Set<Float> source = new HashSet<>();
            for (float v : new Normalization("fixed8", 0, 255).apply(small.get(0))) {
                source.add(v);
            }
            for (float v : batch) {
                assertTrue(source.contains(v), "a padded crop holds only the image's own values, got " + v);
            }
        }
        assertTrue(TrainingSet.prepare(images(3, 40, 40, 1), new Normalization("fixed8", 0, 255), 32,
                Mode.PATCH, 3).paddedNames().isEmpty());
    }

    @Test
    void badTrainingInputIsRefusedWithReasons() {
        Normalization n = new Normalization("fixed8", 0, 255);
        InvalidInputException few = assertThrows(InvalidInputException.class,
                () -> TrainingSet.prepare(images(2, 64, 64, 1), n, 32, Mode.RESIZE, 3));
        assertTrue(few.getMessage().contains("at least 3"), few.getMessage());
        List<FloatImage> mixed = images(3, 64, 64, 1);
        mixed.add(images(1, 64, 64, 3).get(0));
        InvalidInputException channels = assertThrows(InvalidInputException.class,
                () -> TrainingSet.prepare(mixed, n, 32, Mode.RESIZE, 3));
        assertTrue(channels.getMessage().contains("mix grey and colour"), channels.getMessage());
        List<FloatImage> flat = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] grey = new float[64 * 64];
            java.util.Arrays.fill(grey, 128);
            flat.add(new FloatImage(64, 64, 1, grey, 8, "flat" + i, null));
        }
        InvalidInputException constant = assertThrows(InvalidInputException.class,
                () -> TrainingSet.prepare(flat, n, 32, Mode.RESIZE, 3));
        assertTrue(constant.getMessage().contains("constant"), constant.getMessage());
        List<FloatImage> nan = images(3, 64, 64, 1);
        nan.get(1).data()[64 * 5 + 7] = Float.NaN;
        InvalidInputException nanEx = assertThrows(InvalidInputException.class,
                () -> TrainingSet.prepare(nan, n, 32, Mode.RESIZE, 3));
        assertTrue(nanEx.getMessage().contains("x=7, y=5"), nanEx.getMessage());
    }

    @Test
    void resampleKeepsConstantsAndAveragesWhenShrinking() {
        float[] constant = new float[40 * 30];
        java.util.Arrays.fill(constant, 0.3f);
        float[] small = Resample.resize(constant, 40, 30, 1, 10, 7);
        for (float v : small) {
            assertEquals(0.3f, v, 1e-6f);
        }
        float[] checker = new float[16];
        for (int i = 0; i < 16; i++) {
            checker[i] = ((i % 4) + (i / 4)) % 2;
        }
        float[] half = Resample.resize(checker, 4, 4, 1, 2, 2);
        for (float v : half) {
            assertEquals(0.5f, v, 0.15f);
        }
    }
}
