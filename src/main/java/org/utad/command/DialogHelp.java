package org.utad.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.utad.config.OptionSpec;
import org.utad.config.UserOptions;
import org.utad.core.UtadException;

/**
 * The help behind each dialog's Help button, shipped inside the plugin jar (a user's install has
 * no docs folder): one HTML page per command under {@code org/utad/command/help/}, whose
 * {@code {{options}}} placeholder is replaced by a table of the command's keys generated from
 * {@link UserOptions}, so the help never lists a key or default that the command does not have.
 */
public final class DialogHelp {
    /** The placeholder a page puts where its options table belongs. */
    static final String OPTIONS = "{{options}}";
    /** The page of training. */
    public static final String TRAIN = "train";
    /** The page of detection. */
    public static final String DETECT = "detect";
    /** The page of evaluation. */
    public static final String EVALUATE = "evaluate";
    /** The page of Model Info. */
    public static final String MODEL_INFO = "model_info";
    /** The page of Engine Info. */
    public static final String ENGINE_INFO = "engine_info";

    /** A command's page and options. */
    private record Page(String name, List<OptionSpec> specs) {
    }

    private static final List<Page> PAGES = List.of(new Page(TRAIN, UserOptions.TRAIN),
            new Page(DETECT, UserOptions.DETECT), new Page(EVALUATE, UserOptions.EVALUATE),
            new Page(MODEL_INFO, UserOptions.INFO), new Page(ENGINE_INFO, List.of()));

    private DialogHelp() {
    }

    /**
     * Builds a command's help as one HTML document, as ImageJ's {@code GenericDialog.addHelp} and
     * {@code HTMLDialog} show it (a string that starts with {@code <html>}).
     *
     * @param page  the page name, one of the constants of this class
     * @param specs the command's options, listed where the page asks for them
     * @return the HTML text
     * @throws UtadException if the page is missing from the jar (a packaging bug)
     */
    public static String html(String page, List<OptionSpec> specs) {
        return wrap(read(page).replace(OPTIONS, table(specs)));
    }

    /**
     * Joins every command's page, in menu order, into one HTML document: the help of the Help menu
     * entry, for users who look for help before opening a dialog.
     *
     * @return the HTML text
     */
    public static String all() {
        StringBuilder body = new StringBuilder();
        for (Page p : PAGES) {
            body.append(read(p.name()).replace(OPTIONS, table(p.specs()))).append("<hr>");
        }
        return wrap(body.toString());
    }

    private static String wrap(String body) {
        return "<html><body style=\"width:560px\">" + body + "</body></html>";
    }

    /**
     * Renders the options that Fiji offers as a table: key, default, meaning, and whether a macro
     * must give it.
     *
     * @param all the command's options; none gives an empty string
     * @return an HTML table
     */
    static String table(List<OptionSpec> all) {
        List<OptionSpec> specs = UserOptions.fiji(all);
        if (specs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<h3>Fields (the same words are the macro keys)</h3>"
                + "<table border=\"1\" cellpadding=\"3\"><tr><th>field</th><th>default</th><th>meaning</th></tr>");
        for (OptionSpec s : specs) {
            String fallback = s.required() ? "<b>required</b>" : escape(s.type() == OptionSpec.Type.FLAG ? "off"
                    : s.fallback().isEmpty() ? "(none)" : s.fallback());
            String meaning = s.help()
                    + (s.choices().isEmpty() ? "" : " (one of " + String.join(", ", s.choices()) + ")");
            sb.append("<tr><td><code>").append(escape(s.key())).append("</code></td><td>").append(fallback)
                    .append("</td><td>").append(escape(meaning)).append("</td></tr>");
        }
        return sb.append("</table>").toString();
    }

    private static String read(String page) {
        String name = "help/" + page + ".html";
        try (InputStream in = DialogHelp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UtadException("The help page " + name + " is missing from the plugin jar.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UtadException("Cannot read the help page " + name + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
