package org.utad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency rules of DESIGN.md section 3 from eroding: only the ImageJ-facing rooms may
 * touch ImageJ, SciJava or the GUI toolkits, the core depends on java.* alone, and every package says
 * what its room is in a package-info.java.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final List<String> UI_ROOMS = List.of("org.utad.imagej", "org.utad.command", "org.utad.cli");
    private static final List<String> UI_PREFIXES = List.of("ij.", "org.scijava.", "java.awt", "javax.swing");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_UI = Pattern.compile(
            "(?<![\\w.])((?:ij|org\\.scijava|java\\.awt|javax\\.swing)\\.[A-Za-z_][\\w.]*)");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    private static String packageOf(String source, Path file) {
        Matcher m = PACKAGE.matcher(stripCommentsAndStrings(source));
        return m.find() ? m.group(1) : MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    private static boolean inRoom(String pkg, String room) {
        return pkg.equals(room) || pkg.startsWith(room + ".");
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
    void onlyImageJFacingRoomsUseImageJSciJavaOrGuiToolkits() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : sources()) {
            String code = stripCommentsAndStrings(Files.readString(file));
            String pkg = packageOf(code, file);
            if (UI_ROOMS.stream().anyMatch(r -> inRoom(pkg, r))) {
                continue;
            }
            Set<String> bad = new TreeSet<>();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                String imported = imports.group(1);
                if (UI_PREFIXES.stream().anyMatch(imported::startsWith)) {
                    bad.add("import " + imported);
                }
            }
            Matcher qualified = QUALIFIED_UI.matcher(IMPORT.matcher(code).replaceAll(""));
            while (qualified.find()) {
                bad.add("uses " + qualified.group(1));
            }
            if (!bad.isEmpty()) {
                offences.add(MAIN.relativize(file) + ": " + String.join(", ", bad));
            }
        }
        assertTrue(offences.isEmpty(), "Only " + UI_ROOMS + " may use ImageJ, SciJava, AWT or Swing (DESIGN.md 3);"
                + " move this code into an adapter or command:\n  " + String.join("\n  ", offences));
    }

    @Test
    void coreImportsOnlyTheJavaPlatform() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : sources()) {
            String code = stripCommentsAndStrings(Files.readString(file));
            if (!inRoom(packageOf(code, file), "org.utad.core")) {
                continue;
            }
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                String imported = imports.group(1);
                if (!imported.startsWith("java.") && !imported.startsWith("org.utad.core.")) {
                    offences.add(MAIN.relativize(file) + ": import " + imported);
                }
            }
        }
        assertTrue(offences.isEmpty(), "org.utad.core may import java.* only (DESIGN.md 3):\n  "
                + String.join("\n  ", offences));
    }

    @Test
    void everyPackageHasAPackageInfo() throws IOException {
        Set<Path> dirs = new TreeSet<>();
        for (Path file : sources()) {
            dirs.add(file.getParent());
        }
        List<String> missing = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir.resolve("package-info.java"))) {
                missing.add(MAIN.relativize(dir).toString().replace('/', '.'));
            }
        }
        assertTrue(missing.isEmpty(), "Packages without a package-info.java naming their room and allowed imports:\n  "
                + String.join("\n  ", missing));
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
