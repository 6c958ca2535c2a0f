package org.utad.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns "a class is missing" failures into a message that names the missing library and how to
 * install it. An incomplete install (a plain ImageJ without slf4j-api or gson, a Fiji without DJL's
 * jars) surfaces as a {@link NoClassDefFoundError} deep inside DJL or Gson at the first command;
 * ImageJ swallows such errors, so the user saw nothing at all. The commands pass every failure
 * through {@link #explain(Throwable)} and show its answer instead.
 */
public final class MissingLibrary {
    /** A class name as NoClassDefFoundError or ClassNotFoundException print it (slashes or dots). */
    private static final Pattern NAME = Pattern.compile("^[A-Za-z_$][\\w$]*(?:[/.][A-Za-z_$][\\w$]*)+$");
    /** The original error quoted in the cause of a "Could not initialize class" error (Java 17+). */
    private static final Pattern QUOTED = Pattern.compile(
            "(?:NoClassDefFoundError|ClassNotFoundException): ([A-Za-z_$][\\w$]*(?:[/.][A-Za-z_$][\\w$]*)+)");

    /**
     * A package prefix and the library (Maven artifact, as named in the install folders) that holds it.
     *
     * @param prefix  package prefix with dots, ending in a dot
     * @param library the library's jar name without version
     */
    private record Library(String prefix, String library) {
    }

    /** Most specific prefixes first. */
    private static final List<Library> LIBRARIES = List.of(
            new Library("org.slf4j.", "slf4j-api"),
            new Library("com.google.gson.", "gson"),
            new Library("ai.djl.pytorch.", "pytorch-engine and pytorch-jni (DJL's PyTorch engine)"),
            new Library("ai.djl.", "api (DJL, the Deep Java Library)"),
            new Library("com.sun.jna.", "jna"),
            new Library("org.apache.commons.compress.", "commons-compress"),
            new Library("org.apache.commons.io.", "commons-io"),
            new Library("org.apache.commons.codec.", "commons-codec"),
            new Library("org.scijava.", "scijava-common (part of Fiji)"),
            new Library("net.imglib2.", "imglib2 (part of Fiji)"),
            new Library("ij.", "ij (ImageJ itself)"));

    private MissingLibrary() {
    }

    /**
     * Explains a failure if it, or one of its causes, says that a class could not be found.
     *
     * @param e any failure
     * @return the message for the user (what is missing, how to install it), or empty when no class
     *         is missing
     */
    public static Optional<String> explain(Throwable e) {
        return missingClass(e).map(MissingLibrary::message);
    }

    /**
     * Finds the name of the class whose absence caused a failure.
     *
     * @param e any failure
     * @return the class name with dots, or empty when no class is missing
     */
    static Optional<String> missingClass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().trim();
            if ((t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) && NAME.matcher(m).matches()) {
                return Optional.of(m.replace('/', '.'));
            }
            Matcher quoted = QUOTED.matcher(m);
            if (quoted.find()) {
                return Optional.of(quoted.group(1).replace('/', '.'));
            }
        }
        return Optional.empty();
    }

    /**
     * Names the library that holds a class.
     *
     * @param className a class name with dots
     * @return the library's jar name (with a hint for libraries Fiji provides), or a generic phrase
     */
    static String library(String className) {
        for (Library l : LIBRARIES) {
            if (className.startsWith(l.prefix())) {
                return l.library();
            }
        }
        return "a library UTAD needs";
    }

    /**
     * Builds the user's message for a missing class.
     *
     * @param className the missing class, with dots
     * @return what is missing and how to install UTAD completely, for plain ImageJ and for Fiji
     */
    static String message(String className) {
        return "UTAD cannot start: the library " + library(className) + " is missing (Java cannot find the class "
                + className + "). Install UTAD's complete folder and restart ImageJ. In plain ImageJ: copy the"
                + " plugins folder of UTAD's imagej/ folder into your ImageJ folder, so that its jars land in"
                + " ImageJ/plugins/jars/. In Fiji: copy the contents of UTAD's fiji/ folder over Fiji.app. The"
                + " README's section \"Install\" has the details.";
    }
}
