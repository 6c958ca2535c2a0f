package org.utad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.TestModels;
import org.utad.config.Mode;
import org.utad.config.Normalization;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.UtadException;
import org.utad.engine.Engines;
import org.utad.model.UtadNetworks;

/**
 * Model files: exact save/load, atomic writes that never replace a file unasked, and clear errors
 * for missing, truncated, foreign, newer and mismatched bundles.
 */
class ModelBundleTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Engines.offline();
    }

    private static Block linear(NDManager m, int in, int out) {
        Block b = Linear.builder().setUnits(out).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, in));
        return b;
    }

    private static Manifest manifest(Map<String, Block> nets) {
        return ModelBundle.manifest(TestModels.tiny(32, Mode.PATCH, 1, 1), 1, new Normalization("fixed8", 0, 255), nets,
                null, null);
    }

    @Test
    void networksHoldingNanAreNeitherWrittenNorLoaded() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block good = linear(m, 4, 3);
            Map<String, Block> nets = Map.of("a", good);
            Path f = dir.resolve("good.utad");
            ModelBundle.write(f, manifest(nets), nets, false);

            Block poisoned = linear(m, 4, 3);
            poisoned.getParameters().get(0).getValue().getArray().set(new NDIndex("0, 1"), Float.NaN);
            Path refused = dir.resolve("nan.utad");
            UtadException w = assertThrows(UtadException.class,
                    () -> ModelBundle.write(refused, manifest(Map.of("a", poisoned)), Map.of("a", poisoned), false));
            assertTrue(w.getMessage().contains("not numbers"), w.getMessage());
            assertFalse(Files.exists(refused), "nothing may be written");

            // A file written before the check existed: the same bundle with the poisoned parameters inside.
            Path old = dir.resolve("old.utad");
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(params)) {
                poisoned.saveParameters(out);
            }
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(f));
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(old))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(e.getName().equals("a" + ModelBundle.PARAMS_SUFFIX) ? params.toByteArray()
                            : in.readAllBytes());
                    out.closeEntry();
                }
            }
            ModelFormatException l = assertThrows(ModelFormatException.class, () -> ModelBundle.loadParameters(old,
                    ModelBundle.readManifest(old), Map.of("a", linear(m, 4, 3)), m));
            assertTrue(l.getMessage().contains("network 'a'") && l.getMessage().contains("Train the model again"),
                    l.getMessage());
        }
    }

    @Test
    void uncompressedBundlesHoldTheBytesAsTheyAreAndReadBackTheSame() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> nets = Map.of("a", linear(m, 64, 32));
            byte[] zeros = new byte[100_000];
            Map<String, byte[]> extras = Map.of("moments", zeros);
            Path stored = dir.resolve("stored.utad");
            Path deflated = dir.resolve("deflated.utad");
            ModelBundle.write(stored, manifest(nets), nets, extras, false, false);
            ModelBundle.write(deflated, manifest(nets), nets, extras, false, true);
            try (ZipFile zip = new ZipFile(stored.toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    assertTrue(e.getCompressedSize() >= e.getSize(), e.getName() + " was compressed: "
                            + e.getCompressedSize() + " of " + e.getSize() + " bytes");
                }
            }
            assertTrue(Files.size(deflated) < Files.size(stored) - 90_000,
                    "a compressed bundle deflates its zeros: " + Files.size(deflated) + " against "
                            + Files.size(stored));
            assertArrayEquals(zeros, ModelBundle.readExtra(stored, "moments"));
            for (Path f : new Path[] {stored, deflated}) {
                Block fresh = linear(m, 64, 32);
                ModelBundle.loadParameters(f, ModelBundle.readManifest(f), Map.of("a", fresh), m);
                assertArrayEquals(nets.get("a").getParameters().get(0).getValue().getArray().toFloatArray(),
                        fresh.getParameters().get(0).getValue().getArray().toFloatArray(), f.toString());
            }
        }
    }

    @Test
    void saveThenLoadGivesIdenticalOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> nets = Map.of("a", linear(m, 4, 3));
            Path f = dir.resolve("m.utad");
            ModelBundle.write(f, manifest(nets), nets, false);
            Block fresh = linear(m, 4, 3);
            Manifest read = ModelBundle.readManifest(f);
            ModelBundle.loadParameters(f, read, Map.of("a", fresh), m);
            NDArray x = m.randomNormal(new Shape(2, 4));
            float[] before = nets.get("a").forward(new ParameterStore(m, false), new NDList(x), false).head()
                    .toFloatArray();
            float[] after = fresh.forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
            assertArrayEquals(before, after);
        }
    }

    @Test
    void fullUtadNetworksRoundTripThroughABundle() {
        try (NDManager m = NDManager.newBaseManager()) {
            var cfg = TestModels.tiny(32, Mode.PATCH, 1, 1);
            UtadNetworks a = UtadNetworks.create(cfg, 1, m, false);
            Path f = dir.resolve("full.utad");
            ModelBundle.write(f, ModelBundle.manifest(cfg, 1, new Normalization("fixed8", 0, 255), a.inference(), null,
                    null), a.inference(), false);
            UtadNetworks b = UtadNetworks.create(cfg, 1, m, false);
            ModelBundle.loadParameters(f, ModelBundle.readManifest(f), b.inference(), m);
            NDArray x = m.randomUniform(0, 1, new Shape(1, 1, 32, 32));
            assertArrayEquals(a.ieNet().forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray(),
                    b.ieNet().forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray());
        }
    }

    @Test
    void existingFilesAreNotReplacedUnlessAsked() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> nets = Map.of("a", linear(m, 4, 3));
            Path f = dir.resolve("keep.utad");
            Files.writeString(f, "precious");
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> ModelBundle.write(f, manifest(nets), nets, false));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals("precious", Files.readString(f));
            ModelBundle.write(f, manifest(nets), nets, true);
            assertEquals(1, ModelBundle.readManifest(f).formatVersion());
        }
    }

    @Test
    void aFailedWriteLeavesNoFileUnderTheFinalNameAndNoTemporaryFile() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block good = linear(m, 4, 3);
            Block failing = new ai.djl.nn.LambdaBlock(l -> l) {
                @Override
                public void saveParameters(DataOutputStream os) throws IOException {
                    os.write(new byte[1000]);
                    throw new IOException("disk full (simulated)");
                }
            };
            Map<String, Block> nets = new LinkedHashMap<>();
            nets.put("a", good);
            nets.put("b", failing);
            Path f = dir.resolve("crash.utad");
            Map<String, java.util.List<String>> sig = new LinkedHashMap<>(ModelBundle.signatures(nets));
            Manifest man = manifest(Map.of("a", good));
            Manifest withBoth = new Manifest(man.formatVersion(), man.created(), man.config(), 1, man.normalization(), sig,
                    man.training(), null, man.djlVersion(), man.engineVersion());
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> ModelBundle.write(f, withBoth, nets, false));
            assertTrue(e.getMessage().contains("disk full"), e.getMessage());
            assertFalse(Files.exists(f));
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.count(), "temporary file left behind");
            }
        }
    }

    @Test
    void badModelFilesGiveClearMessages() throws IOException {
        ModelFormatException missing = assertThrows(ModelFormatException.class,
                () -> ModelBundle.readManifest(dir.resolve("nope.utad")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        Path text = dir.resolve("text.utad");
        Files.writeString(text, "not a zip at all");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelBundle.readManifest(text)).getMessage()
                .contains("not a UTAD model"));

        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> nets = Map.of("a", linear(m, 4, 3));
            Path good = dir.resolve("good.utad");
            ModelBundle.write(good, manifest(nets), nets, false);
            byte[] bytes = Files.readAllBytes(good);
            Path truncated = dir.resolve("truncated.utad");
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
            ModelFormatException t = assertThrows(ModelFormatException.class, () -> {
                Manifest man = ModelBundle.readManifest(truncated);
                ModelBundle.loadParameters(truncated, man, Map.of("a", linear(m, 4, 3)), m);
            });
            assertTrue(t.getMessage().contains("truncated") || t.getMessage().contains("lacks"), t.getMessage());

            ModelFormatException other = assertThrows(ModelFormatException.class, () -> ModelBundle.loadParameters(good,
                    ModelBundle.readManifest(good), Map.of("a", linear(m, 4, 5)), m));
            assertTrue(other.getMessage().contains("does not match"), other.getMessage());
        }

        Path newer = dir.resolve("newer.utad");
        zipWithManifest(newer, "{\"format_version\": 99}");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelBundle.readManifest(newer)).getMessage()
                .contains("newer than this plugin reads"));
        Path older = dir.resolve("older.utad");
        zipWithManifest(older, "{\"format_version\": 0}");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelBundle.readManifest(older)).getMessage()
                .contains("no valid format version"));
    }

    @Test
    void parametersOfAnotherArchitectureAreRefused() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> small = Map.of("a", linear(m, 4, 3));
            Map<String, Block> big = Map.of("a", linear(m, 4, 6));
            Path f = dir.resolve("swap.utad");
            ModelBundle.write(f, manifest(small), big, false);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelBundle.loadParameters(f,
                    ModelBundle.readManifest(f), Map.of("a", linear(m, 4, 3)), m));
            assertTrue(e.getMessage().contains("another model") || e.getMessage().contains("other shapes"),
                    e.getMessage());
        }
    }

    @Test
    void anUnwritableFolderIsReported() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Block> nets = Map.of("a", linear(m, 4, 3));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> ModelBundle.write(dir.resolve("missing-folder").resolve("m.utad"), manifest(nets), nets,
                            false));
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }

    private static void zipWithManifest(Path f, String json) throws IOException {
        try (OutputStream o = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry(ModelBundle.MANIFEST));
            z.write(json.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
    }
}
