package org.utad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the rooms of docs/ARCHITECTURE.md from eroding: every package states in its
 * package-info.java which packages it may import ("Allowed imports: {@code ...}"), and every import
 * and every fully qualified name in its code must be one of them, the package itself or java.*
 * (java.awt excepted, since only the ImageJ-facing rooms may draw). A rule written in prose only is a
 * rule nobody checks; here the prose is the rule.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?\\s*;",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** Fully qualified names of the libraries and rooms a rule can allow or forbid, used without an import. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])((?:org\\.utad|ai\\.djl|ij|net\\.imglib2|org\\.scijava|com\\.google|javax|java\\.awt)\\.[A-Za-z_][\\w.]*)");
    private static final Pattern ALLOWED = Pattern.compile("Allowed imports:\\s*\\{@code\\s*([^}]*)\\}");
    private static final Pattern ALLOWED_NOTHING = Pattern.compile("Allowed imports:\\s*nothing beyond java\\.\\*");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    /**
     * Reads a package's rule from its package-info source: the listed prefixes, or an empty list for
     * "nothing beyond java.*"; empty when the package-info states no rule.
     */
    static Optional<List<String>> allowedImports(String packageInfo) {
        String prose = packageInfo.replaceAll("(?m)^\\s*\\*\\s?", " ").replaceAll("\\s+", " ");
        Matcher m = ALLOWED.matcher(prose);
        if (m.find()) {
            return Optional.of(Arrays.stream(m.group(1).split(","))
                    .map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toList()));
        }
        return ALLOWED_NOTHING.matcher(prose).find() ? Optional.of(List.of()) : Optional.empty();
    }

    /** The rule of the package in {@code dir}, read from its package-info; empty when it states none. */
    private static Optional<List<String>> ruleOf(Path dir) throws IOException {
        Path info = dir.resolve("package-info.java");
        return Files.exists(info) ? allowedImports(Files.readString(info)) : Optional.empty();
    }

    private static boolean covers(String prefix, String name) {
        return name.equals(prefix) || name.startsWith(prefix + ".");
    }

    private static boolean allowed(String name, String pkg, List<String> rule) {
        if (covers(pkg, name) || covers("java", name) && !covers("java.awt", name)) {
            return true;
        }
        return rule.stream().anyMatch(p -> covers(p, name));
    }

    /**
     * Lists what one source file uses against its package's rule.
     *
     * @param source the file's text
     * @param rule   the prefixes its package may use besides itself and java.*
     * @return "import x" and "uses x" for each forbidden name, sorted
     */
    static Set<String> offences(String source, List<String> rule) {
        String code = stripCommentsAndStrings(source);
        Matcher pm = PACKAGE.matcher(code);
        String pkg = pm.find() ? pm.group(1) : "";
        Set<String> bad = new TreeSet<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            if (!allowed(imports.group(1), pkg, rule)) {
                bad.add("import " + imports.group(1));
            }
        }
        Matcher qualified = QUALIFIED.matcher(PACKAGE.matcher(IMPORT.matcher(code).replaceAll("")).replaceAll(""));
        while (qualified.find()) {
            if (!allowed(qualified.group(1), pkg, rule)) {
                bad.add("uses " + qualified.group(1));
            }
        }
        return bad;
    }

    /** Blanks out comments and string or character literals so that prose never counts as code. */
    static String stripCommentsAndStrings(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                int stop = end < 0 ? src.length() : end + 2;
                for (; i < stop; i++) {
                    out.append(src.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? src.length() : end + 3;
                for (; i < stop; i++) {
                    out.append(src.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else if (c == '"' || c == '\'') {
                out.append(' ');
                i++;
                while (i < src.length() && src.charAt(i) != c && src.charAt(i) != '\n') {
                    if (src.charAt(i) == '\\') {
                        i++;
                    }
                    i++;
                }
                i++;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void everyRoomUsesOnlyWhatItsPackageInfoAllows() throws IOException {
        List<String> offences = new ArrayList<>();
        Map<Path, Optional<List<String>>> rules = new HashMap<>();
        for (Path file : sources()) {
            if (file.getFileName().toString().equals("package-info.java")) {
                continue;
            }
            Optional<List<String>> rule = rules.get(file.getParent());
            if (rule == null) {
                rule = ruleOf(file.getParent());
                rules.put(file.getParent(), rule);
            }
            if (rule.isEmpty()) {
                continue;
            }
            Set<String> bad = offences(Files.readString(file), rule.get());
            if (!bad.isEmpty()) {
                offences.add(MAIN.relativize(file) + ": " + String.join(", ", bad));
            }
        }
        assertTrue(offences.isEmpty(), "These files use what their package-info does not allow (docs/ARCHITECTURE.md);"
                + " move the code to a room that may, or change the rule where the design changes:\n  "
                + String.join("\n  ", offences));
    }

    @Test
    void everyPackageStatesItsRoomAndAllowedImports() throws IOException {
        Set<Path> dirs = new TreeSet<>();
        for (Path file : sources()) {
            dirs.add(file.getParent());
        }
        List<String> missing = new ArrayList<>();
        for (Path dir : dirs) {
            if (ruleOf(dir).isEmpty()) {
                missing.add(MAIN.relativize(dir).toString().replace('/', '.'));
            }
        }
        assertTrue(missing.isEmpty(), "Packages without a package-info.java that says"
                + " \"Allowed imports: {@code ...}\":\n  " + String.join("\n  ", missing));
    }

    @Test
    void plantedForbiddenImportsAndQualifiedNamesAreCaught() throws IOException {
        List<String> coreRule = ruleOf(MAIN.resolve("org/utad/core")).orElseThrow();
        List<String> imagejRule = ruleOf(MAIN.resolve("org/utad/imagej")).orElseThrow();
        assertEquals(List.of(), coreRule);
        String planted = "package org.utad.core;\nimport java.util.List;\nimport org.utad.core.FloatImage;\n"
                + "import ai.djl.ndarray.NDArray;\nimport java.awt.Color;\n"
                + "class Planted { org.utad.infer.Detector d; /* org.utad.train.X */ String s = \"ij.IJ\"; }\n";
        assertEquals(Set.of("import ai.djl.ndarray.NDArray", "import java.awt.Color", "uses org.utad.infer.Detector"),
                offences(planted, coreRule));
        String adapter = "package org.utad.imagej;\nimport ij.ImagePlus;\nimport java.awt.Color;\n"
                + "import org.utad.infer.HeatmapScale;\nimport org.utad.infer.Detector;\nimport org.utad.train.UtadTrainer;\n"
                + "class Adapter { }\n";
        assertEquals(Set.of("import org.utad.infer.Detector", "import org.utad.train.UtadTrainer"),
                offences(adapter, imagejRule));
    }

    @Test
    void aRuleIsReadAcrossJavadocLines() {
        String info = "/**\n * Room x.\n *\n * <p>Allowed imports: {@code ai.djl, org.utad.core,\n * org.utad.infer.Method}: why.\n */\n"
                + "package org.utad.x;\n";
        assertEquals(List.of("ai.djl", "org.utad.core", "org.utad.infer.Method"), allowedImports(info).orElseThrow());
        assertTrue(allowedImports("/** Room y, no rule. */\npackage org.utad.y;\n").isEmpty());
    }

    @Test
    void commentAndStringStrippingKeepsCodeAndDropsProse() {
        String src = "import ij.IJ; // uses java.awt\n/* javax.swing */ String s = \"org.scijava.X\"; char q = '\\'';\n";
        String code = stripCommentsAndStrings(src);
        assertTrue(code.contains("import ij.IJ;"), code);
        assertTrue(!code.contains("java.awt") && !code.contains("javax.swing") && !code.contains("org.scijava"), code);
        assertTrue(code.contains("char q ="), code);
    }
}
