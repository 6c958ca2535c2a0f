package org.utad.config;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The complete, immutable configuration of a UTAD model: input handling, network sizes, both
 * training stages and detection. It is stored whole in every model bundle, so a model always says
 * how it was made.
 *
 * <p>Start from a preset ({@link Presets}) and change any value by its dotted snake_case key with
 * {@link #with(String, String)}, the mechanism that the CLI, macros and commands share, so every
 * hyper-parameter is overridable in the same words everywhere. JSON keys are snake_case.
 *
 * @param version            configuration format version, {@link #VERSION} for new configurations
 * @param preset             the preset this configuration started from (for reports)
 * @param imageSize          the network input size in pixels (a multiple of 32: 64, 128, 256 ...)
 * @param mode               {@link Mode#RESIZE} or {@link Mode#PATCH}
 * @param seed               seed of every random choice (weights, sampling, augmentation, codes)
 * @param validationFraction share of the normal images held out for validation and calibration
 * @param augment            flips and 90-degree rotations during training; off for images with a
 *                           preferred orientation
 * @param ieNet              IE-Net width
 * @param expertNet          Expert-Net size
 * @param stage1             stage 1 schedule and weights
 * @param stage2             stage 2 schedule and weights
 * @param detect             detection settings
 */
public record UtadConfig(int version, String preset, int imageSize, Mode mode, long seed,
                         double validationFraction, boolean augment, IeNetConfig ieNet,
                         ExpertNetConfig expertNet, Stage1Config stage1, Stage2Config stage2,
                         DetectConfig detect) {
    /** The configuration format version written by this release. */
    public static final int VERSION = 1;

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create();

    /** @throws IllegalArgumentException if a value is out of range, with the reason */
    public UtadConfig {
        if (imageSize < 32 || imageSize % 32 != 0) {
            throw new IllegalArgumentException("image_size must be a multiple of 32 of at least 32 (64, 128, 256), got "
                    + imageSize);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation_fraction must be in [0, 1), got " + validationFraction);
        }
        if (mode == null || ieNet == null || expertNet == null || stage1 == null || stage2 == null || detect == null) {
            throw new IllegalArgumentException("Incomplete configuration: every section must be present");
        }
        if (expertNet.nDownsample() > 0 && imageSize % (1 << expertNet.nDownsample()) != 0) {
            throw new IllegalArgumentException("image_size must be divisible by 2^n_downsample");
        }
    }

    /** @return this configuration as pretty-printed JSON with snake_case keys */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** @return this configuration as a JSON tree, for embedding in a manifest */
    public JsonObject toJsonTree() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    /**
     * Reads a configuration written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException if the JSON is malformed, incomplete or out of range
     */
    public static UtadConfig fromJson(String json) {
        try {
            return fromJsonTree(JsonParser.parseString(json));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed configuration JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a configuration from a JSON tree.
     *
     * @param tree the JSON object
     * @return the configuration
     * @throws IllegalArgumentException if the tree is incomplete or a value is out of range
     */
    public static UtadConfig fromJsonTree(JsonElement tree) {
        UtadConfig c;
        try {
            c = GSON.fromJson(tree, UtadConfig.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Malformed configuration: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps exceptions thrown by a record's validating constructor.
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(cause.getMessage(), e);
        }
        if (c == null) {
            throw new IllegalArgumentException("Empty configuration");
        }
        return c;
    }

    /**
     * Returns a copy with one value changed, addressed by its dotted snake_case key, such as
     * {@code image_size}, {@code mode}, {@code stage1.iterations}, {@code expert_net.dim} or
     * {@code detect.random_codes}. Array values are comma-separated ({@code stage1.decay_at=0.5,0.9}).
     *
     * @param key   the dotted key
     * @param value the new value as text
     * @return the changed configuration
     * @throws IllegalArgumentException if the key does not exist (listing the valid keys) or the
     *                                  value does not fit it
     */
    public UtadConfig with(String key, String value) {
        JsonObject tree = toJsonTree();
        String[] parts = key.trim().toLowerCase(Locale.ROOT).split("\\.");
        JsonObject node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonElement child = node.get(parts[i]);
            if (child == null || !child.isJsonObject()) {
                throw unknownKey(key);
            }
            node = child.getAsJsonObject();
        }
        String leaf = parts[parts.length - 1];
        JsonElement old = node.get(leaf);
        if (old == null || old.isJsonObject()) {
            throw unknownKey(key);
        }
        String v = value.trim();
        if (old.isJsonArray()) {
            com.google.gson.JsonArray arr = new com.google.gson.JsonArray();
            if (!v.isEmpty()) {
                for (String item : v.split(",")) {
                    arr.add(parseNumber(key, item.trim()));
                }
            }
            node.add(leaf, arr);
        } else if (old.getAsJsonPrimitive().isNumber()) {
            node.add(leaf, parseNumber(key, v));
        } else if (old.getAsJsonPrimitive().isBoolean()) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("Option " + key + " takes true or false, got '" + value + "'");
            }
            node.addProperty(leaf, Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
        } else {
            node.addProperty(leaf, old.getAsString().equals(old.getAsString().toUpperCase(Locale.ROOT))
                    ? v.toUpperCase(Locale.ROOT) : v);
        }
        try {
            return fromJsonTree(tree);
        } catch (IllegalArgumentException | JsonParseException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies several overrides in order.
     *
     * @param overrides key to value, as for {@link #with(String, String)}
     * @return the changed configuration
     */
    public UtadConfig with(Map<String, String> overrides) {
        UtadConfig c = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            c = c.with(e.getKey(), e.getValue());
        }
        return c;
    }

    /**
     * Returns a copy with another network input size, the typed form of {@code with("image_size", ..)}
     * for front ends that already hold a number, so it is not written out and parsed back.
     *
     * @param size the size in pixels, a multiple of 32
     * @return the changed configuration
     * @throws IllegalArgumentException as {@link #with(String, String)} words it for a bad size
     */
    public UtadConfig withImageSize(int size) {
        return typed("image_size", size, () -> new UtadConfig(version, preset, size, mode, seed, validationFraction,
                augment, ieNet, expertNet, stage1, stage2, detect));
    }

    /**
     * @param m the input mode
     * @return a copy using it (the typed form of {@code with("mode", ..)})
     */
    public UtadConfig withMode(Mode m) {
        return typed("mode", m, () -> new UtadConfig(version, preset, imageSize, m, seed, validationFraction, augment,
                ieNet, expertNet, stage1, stage2, detect));
    }

    /**
     * @param s the seed of every random choice
     * @return a copy using it (the typed form of {@code with("seed", ..)})
     */
    public UtadConfig withSeed(long s) {
        return typed("seed", s, () -> new UtadConfig(version, preset, imageSize, mode, s, validationFraction, augment,
                ieNet, expertNet, stage1, stage2, detect));
    }

    /**
     * @param fraction the share of normal images held out, in [0, 1)
     * @return a copy using it (the typed form of {@code with("validation_fraction", ..)})
     * @throws IllegalArgumentException as {@link #with(String, String)} words it for a bad share
     */
    public UtadConfig withValidationFraction(double fraction) {
        return typed("validation_fraction", fraction, () -> new UtadConfig(version, preset, imageSize, mode, seed,
                fraction, augment, ieNet, expertNet, stage1, stage2, detect));
    }

    /**
     * @param iterations stage 1's optimiser steps
     * @return a copy using them (the typed form of {@code with("stage1.iterations", ..)})
     */
    public UtadConfig withStage1Iterations(int iterations) {
        return typed("stage1.iterations", iterations, () -> new UtadConfig(version, preset, imageSize, mode, seed,
                validationFraction, augment, ieNet, expertNet, stage1.withIterations(iterations),
                stage2, detect));
    }

    /**
     * @param iterations stage 2's optimiser steps
     * @return a copy using them (the typed form of {@code with("stage2.iterations", ..)})
     */
    public UtadConfig withStage2Iterations(int iterations) {
        return typed("stage2.iterations", iterations, () -> new UtadConfig(version, preset, imageSize, mode, seed,
                validationFraction, augment, ieNet, expertNet, stage1,
                stage2.withIterations(iterations), detect));
    }

    /**
     * Builds a typed copy, failing with the words {@link #with(String, String)} uses for the same
     * value, so a user reads the same message whichever way a front end passed it.
     */
    private static UtadConfig typed(String key, Object value, Supplier<UtadConfig> copy) {
        try {
            return copy.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + key + ": " + e.getMessage(), e);
        }
    }

    /** @return every key accepted by {@link #with(String, String)}, in document order */
    public List<String> keys() {
        Map<String, JsonElement> leaves = new LinkedHashMap<>();
        collectLeaves("", toJsonTree(), leaves);
        return new ArrayList<>(leaves.keySet());
    }

    /**
     * Lists the settings in which {@code other} differs from this configuration, so that a run that
     * must continue with the same settings (a resumed training) can say exactly which ones changed.
     *
     * @param other the configuration to compare with
     * @return each differing key, in document order, with {@code "<this value> (now <other value>)"};
     *         empty if every key has the same value
     */
    public Map<String, String> differences(UtadConfig other) {
        Map<String, JsonElement> mine = new LinkedHashMap<>();
        Map<String, JsonElement> theirs = new LinkedHashMap<>();
        collectLeaves("", toJsonTree(), mine);
        collectLeaves("", other.toJsonTree(), theirs);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : mine.entrySet()) {
            JsonElement o = theirs.get(e.getKey());
            if (!e.getValue().equals(o)) {
                out.put(e.getKey(), e.getValue() + " (now " + o + ")");
            }
        }
        return out;
    }

    /**
     * Collects the leaves of a configuration's JSON tree under their dotted keys, in document order:
     * the keys of {@link #with(String, String)}, and what a preset file must name ({@code Presets}).
     *
     * @param prefix the dotted key of {@code node}, with a trailing dot ("" at the root)
     * @param node   the object to walk
     * @param out    receives key to value
     */
    static void collectLeaves(String prefix, JsonObject node, Map<String, JsonElement> out) {
        for (Map.Entry<String, JsonElement> e : node.entrySet()) {
            if (e.getValue().isJsonObject()) {
                collectLeaves(prefix + e.getKey() + ".", e.getValue().getAsJsonObject(), out);
            } else {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    private IllegalArgumentException unknownKey(String key) {
        return new IllegalArgumentException("Unknown option '" + key + "'. Valid options: " + String.join(", ", keys()));
    }

    private static JsonPrimitive parseNumber(String key, String text) {
        try {
            double d = Double.parseDouble(text);
            if (d == Math.rint(d) && !text.contains(".") && !text.toLowerCase(Locale.ROOT).contains("e")) {
                return new JsonPrimitive(Long.parseLong(text));
            }
            return new JsonPrimitive(d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + key + " takes a number, got '" + text + "'", e);
        }
    }
}
