package org.utad.config;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The named starting points for a configuration.
 *
 * <ul>
 *   <li>{@code fast}: for a laptop CPU. Patch mode with 64 px training patches at native resolution,
 *   narrow networks (IE-Net filters 32, Expert-Net dim 16), 4500 + 1000 iterations, 4 random detail
 *   codes, detection on overlapping 64 px tiles, the size the networks were trained on: both stages
 *   train in about a quarter of an hour on two cores.</li>
 *   <li>{@code balanced}: patch mode with 128 px patches, twice the widths of {@code fast}, the paper's
 *   stage 1 for 3000 iterations of batch 16, 2500 stage-2 iterations, the reference 10 random codes and
 *   detection on 256 px tiles; a CPU with time to spare or a small GPU.</li>
 *   <li>{@code paper}: the reference: 256 px, IE-Net filters 128, Expert-Net dim 64 with MLP 256,
 *   batch 128 for stage 1, learning rates and decays as published. Meant for a GPU.</li>
 * </ul>
 * Any value can be changed afterwards with {@link UtadConfig#with(String, String)}.
 *
 * <p>The presets are data, written where a maintainer reads them as settings rather than as a row of
 * bare numbers: {@code presets/paper.json} beside this class names every setting in the form a model
 * bundle stores, and {@code fast.json} and {@code balanced.json} name only the settings they change,
 * by the same dotted keys that users type, each with its reason where the reason was measured. Comments
 * in these files are allowed. The files ship inside the jar; a preset that does not load is a broken
 * build, and is reported as one.
 */
public final class Presets {
    /** Name of the CPU preset, the cheapest and the default. */
    public static final String FAST = "fast";
    /** Name of the middle preset. */
    public static final String BALANCED = "balanced";
    /** Name of the paper's reference preset. */
    public static final String PAPER = "paper";

    /** The preset names, in order of cost. */
    public static final List<String> NAMES = List.of(FAST, BALANCED, PAPER);

    private Presets() {
    }

    /**
     * Returns a preset by name, ignoring case.
     *
     * @param name "fast", "balanced" or "paper"
     * @return the preset's configuration
     * @throws IllegalArgumentException naming the known presets
     */
    public static UtadConfig get(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("Unknown preset '" + name + "'. Use one of " + NAMES);
        }
        return key.equals(PAPER) ? paper() : changed(key, resource(key));
    }

    /** @return the CPU preset: 64 px patches, narrow networks, short schedules */
    public static UtadConfig fast() {
        return get(FAST);
    }

    /** @return the middle preset: 128 px patches, twice the widths of fast, a longer stage 2 */
    public static UtadConfig balanced() {
        return get(BALANCED);
    }

    /** @return the reference configuration of the paper, for a GPU */
    public static UtadConfig paper() {
        return complete(resource(PAPER));
    }

    /**
     * Reads a preset that names every setting, in the nested form of {@link UtadConfig#toJson()}.
     *
     * @param json the preset's text; comments are allowed
     * @return the configuration
     * @throws IllegalStateException if a setting is missing, unknown or out of range, naming it
     */
    static UtadConfig complete(String json) {
        JsonObject tree = parse(json);
        Map<String, JsonElement> leaves = new LinkedHashMap<>();
        UtadConfig.collectLeaves("", tree, leaves);
        TreeSet<String> written = new TreeSet<>(leaves.keySet());
        TreeSet<String> expected = new TreeSet<>();
        settings("", UtadConfig.class, expected);
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(written);
        written.removeAll(expected);
        if (!missing.isEmpty() || !written.isEmpty()) {
            throw new IllegalStateException("The paper preset must name every setting exactly once; missing "
                    + missing + ", unknown " + written);
        }
        try {
            return UtadConfig.fromJsonTree(tree);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The paper preset does not load: " + e.getMessage(), e);
        }
    }

    /**
     * Lists the dotted keys of a configuration record's settings, as its JSON names them, from the
     * record's components: the keys a complete preset must write, known before any value is read.
     */
    private static void settings(String prefix, Class<?> record, TreeSet<String> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String key;
            try {
                key = prefix + FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES.translateName(
                        record.getDeclaredField(c.getName()));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("A record without the field of its component " + c.getName(), e);
            }
            if (c.getType().isRecord()) {
                settings(key + ".", c.getType(), out);
            } else {
                out.add(key);
            }
        }
    }

    /**
     * Reads a preset written as the settings it changes in the paper preset.
     *
     * @param name the preset's name, stored in the configuration
     * @param json an object from dotted keys to values; comments are allowed
     * @return the paper preset with those settings changed
     * @throws IllegalStateException if a key is unknown or a value does not fit it, naming it
     */
    static UtadConfig changed(String name, String json) {
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("preset", name);
        for (Map.Entry<String, JsonElement> e : parse(json).entrySet()) {
            changes.put(e.getKey(), text(e.getKey(), e.getValue()));
        }
        try {
            return paper().with(changes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The " + name + " preset does not load: " + e.getMessage(), e);
        }
    }

    private static String text(String key, JsonElement value) {
        if (value.isJsonPrimitive()) {
            return value.getAsString();
        }
        if (value.isJsonArray()) {
            List<String> items = new ArrayList<>();
            value.getAsJsonArray().forEach(item -> items.add(item.getAsString()));
            return String.join(",", items);
        }
        throw new IllegalStateException("A preset's change to " + key + " must be a value, not " + value);
    }

    private static JsonObject parse(String json) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setLenient(true);
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalStateException("A preset is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        String path = "presets/" + name + ".json";
        try (InputStream in = Presets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The " + name + " preset is missing from the plugin (" + path
                        + "): the installation is incomplete; reinstall UTAD");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the " + name + " preset", e);
        }
    }
}
