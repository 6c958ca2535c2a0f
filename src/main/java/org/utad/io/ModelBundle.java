package org.utad.io;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.utad.config.Normalization;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.core.AtomicFiles;
import org.utad.core.InvalidInputException;
import org.utad.core.ModelFormatException;
import org.utad.core.UtadException;

/**
 * The model file: one zip holding {@code manifest.json} and one {@code <network>.params} per
 * network, in DJL's parameter format.
 *
 * <p>Writes are atomic: the zip is written to a temporary file in the target folder, flushed to
 * disk and renamed over the final name, so a crash or a killed JVM never leaves a half-written
 * model under the name the user chose. An existing file is replaced only when the caller says so.
 * Reading checks the format version and, after the caller has rebuilt the networks from the
 * manifest, that every parameter's name and shape match the manifest before and after loading, since
 * DJL itself does not check layer widths.
 */
public final class ModelBundle {
    /** The bundle format written by this release. */
    public static final int FORMAT_VERSION = 1;
    /** The name of the manifest entry. */
    public static final String MANIFEST = "manifest.json";
    /** The extension of parameter entries. */
    public static final String PARAMS_SUFFIX = ".params";

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .serializeSpecialFloatingPointValues()
            .setPrettyPrinting()
            .create();

    private ModelBundle() {
    }

    /**
     * Describes networks for a manifest: their parameter names and shapes, in order.
     *
     * @param networks network name to initialised block
     * @return network name to signature lines
     */
    public static Map<String, List<String>> signatures(Map<String, Block> networks) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Block> e : networks.entrySet()) {
            out.put(e.getKey(), signature(e.getValue()));
        }
        return out;
    }

    private static List<String> signature(Block block) {
        List<String> lines = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            String shape = param.isInitialized() ? param.getArray().getShape().toString() : "?";
            lines.add(p.getKey() + ":" + shape);
        }
        return lines;
    }

    /**
     * Makes a manifest for networks about to be saved, stamped with the running DJL and engine versions.
     *
     * @param config        the training configuration
     * @param channels      image channels
     * @param normalization the fitted normalisation
     * @param networks      the initialised networks
     * @param training      training summary
     * @param thresholds    calibration, or null
     * @return the manifest
     */
    public static Manifest manifest(UtadConfig config, int channels, Normalization normalization,
                                    Map<String, Block> networks, JsonObject training, Thresholds thresholds) {
        Engine engine = Engine.getInstance();
        return new Manifest(FORMAT_VERSION, Instant.now().toString(), config, channels, normalization,
                signatures(networks), training == null ? new JsonObject() : training, thresholds,
                Engine.getDjlVersion(), engine.getVersion());
    }

    /**
     * Writes a bundle atomically.
     *
     * @param target    the model file to write
     * @param manifest  its manifest
     * @param networks  network name to initialised block; names must match the manifest
     * @param overwrite whether an existing file may be replaced
     * @throws InvalidInputException if the file exists and overwrite is false, or the folder cannot be
     *                               written
     */
    public static void write(Path target, Manifest manifest, Map<String, Block> networks, boolean overwrite) {
        write(target, manifest, networks, Map.of(), overwrite, true);
    }

    /**
     * Writes a bundle atomically with extra binary entries, such as optimiser states in a
     * training checkpoint.
     *
     * <p>A training run writes its checkpoint twenty times, and deflating its 29 MB of parameters and
     * optimiser moments took about a second each time, to save 12 % of the size (floats barely
     * compress); so a checkpoint is written with {@code compressed} false: its entries are still
     * deflate entries, which every reader here and any zip tool reads, but they hold the bytes as they
     * are. A model file, written once and passed around, stays compressed.
     *
     * @param target     the file to write
     * @param manifest   its manifest
     * @param networks   network name to initialised block; names must match the manifest
     * @param extras     entry name to bytes; names must not end in {@value #PARAMS_SUFFIX}
     * @param overwrite  whether an existing file may be replaced
     * @param compressed whether the entries are compressed (false: stored as they are, 40 times faster)
     * @throws InvalidInputException if the file exists and overwrite is false, or cannot be written
     */
    public static void write(Path target, Manifest manifest, Map<String, Block> networks,
                             Map<String, byte[]> extras, boolean overwrite, boolean compressed) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (!overwrite && Files.exists(abs)) {
            throw new InvalidInputException("The model file " + abs + " already exists. Choose another name, or"
                    + " allow overwriting (overwrite=true).");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("Cannot write the model to " + abs + ": the folder " + dir
                    + " does not exist.");
        }
        if (!manifest.networks().keySet().equals(networks.keySet())) {
            throw new IllegalArgumentException("Manifest networks " + manifest.networks().keySet()
                    + " differ from the networks given " + networks.keySet());
        }
        for (Map.Entry<String, Block> e : networks.entrySet()) {
            String bad = nonFiniteParameter(e.getValue());
            if (bad != null) {
                throw new UtadException("Nothing was written to " + abs + ": network '" + e.getKey() + "' holds"
                        + " values that are not numbers (NaN) or infinite (parameter " + bad + "), and a model or"
                        + " checkpoint made of them would be meaningless.");
            }
        }
        try {
            AtomicFiles.replace(abs, tmp -> {
                try (OutputStream fileOut = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
                     ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(fileOut))) {
                    zip.setLevel(compressed ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION);
                    zip.putNextEntry(new ZipEntry(MANIFEST));
                    zip.write(GSON.toJson(manifest).getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    for (Map.Entry<String, Block> e : networks.entrySet()) {
                        zip.putNextEntry(new ZipEntry(e.getKey() + PARAMS_SUFFIX));
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        try (DataOutputStream dos = new DataOutputStream(bytes)) {
                            e.getValue().saveParameters(dos);
                        }
                        bytes.writeTo(zip);
                        zip.closeEntry();
                    }
                    for (Map.Entry<String, byte[]> e : extras.entrySet()) {
                        zip.putNextEntry(new ZipEntry(e.getKey()));
                        zip.write(e.getValue());
                        zip.closeEntry();
                    }
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            });
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("Cannot write the model to " + abs + ": permission denied. Choose a"
                    + " folder you can write to.", e);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write the model to " + abs + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads only the manifest of a bundle, for Model Info and for rebuilding its networks.
     *
     * @param file the model file
     * @return the manifest
     * @throws ModelFormatException if the file is missing, not a bundle, truncated, or of an unknown version
     */
    public static Manifest readManifest(Path file) {
        Map<String, byte[]> entries = readEntries(file, true);
        byte[] raw = entries.get(MANIFEST);
        if (raw == null) {
            throw new ModelFormatException("The file " + file + " is not a UTAD model: it has no " + MANIFEST + ".");
        }
        JsonObject tree;
        try {
            JsonElement el = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
            tree = el.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new ModelFormatException("The manifest of " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        int version = tree.has("format_version") ? tree.get("format_version").getAsInt() : -1;
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException("The model " + file + " has format version " + version
                    + ", newer than this plugin reads (" + FORMAT_VERSION + "). Update UTAD for Fiji.");
        }
        if (version < 1) {
            throw new ModelFormatException("The model " + file + " has no valid format version (" + version
                    + "); it was not written by UTAD for Fiji, or is damaged.");
        }
        try {
            Manifest m = GSON.fromJson(tree, Manifest.class);
            if (m.config() == null || m.normalization() == null || m.networks() == null || m.channels() < 1) {
                throw new ModelFormatException("The manifest of " + file + " is incomplete (configuration,"
                        + " normalisation, channels or networks missing).");
            }
            return m;
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new ModelFormatException("The manifest of " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the parameters of a bundle into networks the caller rebuilt from its manifest, checking
     * that the architectures match.
     *
     * @param file     the model file
     * @param manifest its manifest, from {@link #readManifest(Path)}
     * @param networks network name to initialised block, built from the manifest
     * @param manager  the manager that will own the loaded parameters
     * @throws ModelFormatException if a network is missing, or its parameters differ in names or shapes
     */
    public static void loadParameters(Path file, Manifest manifest, Map<String, Block> networks, NDManager manager) {
        Map<String, byte[]> entries = readEntries(file, false);
        for (Map.Entry<String, Block> e : networks.entrySet()) {
            String name = e.getKey();
            List<String> expected = manifest.networks().get(name);
            if (expected == null) {
                throw new ModelFormatException("The model " + file + " has no network '" + name + "'.");
            }
            List<String> built = signature(e.getValue());
            if (!built.equals(expected)) {
                throw new ModelFormatException("The model " + file + " does not match its manifest: network '" + name
                        + "' " + firstDifference(expected, built) + ". The file is damaged or was edited.");
            }
            byte[] params = entries.get(name + PARAMS_SUFFIX);
            if (params == null) {
                throw new ModelFormatException("The model " + file + " lacks the parameters of network '" + name
                        + "'; it is incomplete.");
            }
            try (DataInputStream dis = new DataInputStream(new java.io.ByteArrayInputStream(params))) {
                e.getValue().loadParameters(manager, dis);
                if (dis.read() != -1) {
                    throw new ModelFormatException("The parameters of network '" + name + "' in " + file
                            + " are longer than its architecture: they belong to another model.");
                }
            } catch (IOException | MalformedModelException | IllegalArgumentException | IllegalStateException ex) {
                throw new ModelFormatException("The parameters of network '" + name + "' in " + file
                        + " do not fit its architecture (" + ex.getMessage() + "); they belong to another model"
                        + " or are damaged.", ex);
            }
            List<String> loaded = signature(e.getValue());
            if (!loaded.equals(expected)) {
                throw new ModelFormatException("The parameters of network '" + name + "' in " + file
                        + " have other shapes than the manifest: " + firstDifference(expected, loaded) + ".");
            }
            String bad = nonFiniteParameter(e.getValue());
            if (bad != null) {
                throw new ModelFormatException("The model " + file + " holds values that are not numbers (NaN) or"
                        + " infinite in network '" + name + "' (parameter " + bad + "): it was written by a training"
                        + " run whose numbers went wrong, and every map it made would be meaningless. Train the"
                        + " model again; training now stops at the first such value and says why.");
            }
        }
    }

    /**
     * Finds a parameter holding NaN or an infinity, so that no such network is loaded or written.
     *
     * @param block the network
     * @return the first such parameter's name, or null if all are finite
     */
    public static String nonFiniteParameter(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            try (NDArray sum = array.sum()) {
                if (!Float.isFinite(sum.getFloat())) {
                    return p.getKey();
                }
            }
        }
        return null;
    }

    /**
     * Reads one extra entry written by {@link #write(Path, Manifest, Map, Map, boolean, boolean)}.
     *
     * @param file the bundle
     * @param name the entry name
     * @return its bytes, or null if the bundle has no such entry
     * @throws ModelFormatException if the file cannot be read
     */
    public static byte[] readExtra(Path file, String name) {
        return readEntries(file, false).get(name);
    }

    private static String firstDifference(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                return "expects " + expected.get(i) + " but has " + actual.get(i);
            }
        }
        return "expects " + expected.size() + " parameters but has " + actual.size();
    }

    private static Map<String, byte[]> readEntries(Path file, boolean manifestOnly) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("The model file " + file + " does not exist. Check the path, or train"
                    + " a model first.");
        }
        Map<String, byte[]> out = new HashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            boolean any = false;
            while ((entry = zip.getNextEntry()) != null) {
                any = true;
                if (!manifestOnly || MANIFEST.equals(entry.getName())) {
                    out.put(entry.getName(), zip.readAllBytes());
                }
                if (manifestOnly && out.containsKey(MANIFEST)) {
                    break;
                }
            }
            if (!any) {
                throw new ModelFormatException("The file " + file + " is not a UTAD model (not a zip, or empty).");
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new ModelFormatException("The model file " + file + " is truncated or damaged (" + e.getMessage()
                    + "). Train it again or restore a copy.", e);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("The model file " + file + " does not exist.", e);
        } catch (IOException e) {
            throw new ModelFormatException("The model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return out;
    }
}
