package org.utad.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.utad.config.OptionSpec;
import org.utad.config.UserOptions;

/**
 * Parsed command-line options of one subcommand: {@code --key value} pairs, repeatable
 * {@code --set key=value} overrides and bare {@code --flag}s, checked against the subcommand's
 * known names so that a typo is an error rather than silently ignored. Public so that the other
 * command-line entry points (the Spark job) read options exactly as {@code utad} does.
 *
 * <p>Where a subcommand takes {@code settings}, its text ({@code key=value} pairs separated by
 * spaces or ';', as the macros' {@code settings=[..]}) joins the {@code --set} overrides in the order
 * given. Older spellings of an option ({@link OptionSpec#aliases()}) are read as the option itself.
 */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    /**
     * @param args      the arguments after the subcommand
     * @param valued    option names that take a value
     * @param flagNames option names that take none
     * @throws UsageException for unknown options or missing values
     */
    public Args(List<String> args, Set<String> valued, Set<String> flagNames) {
        this(args, valued, flagNames, Map.of());
    }

    /**
     * Reads a subcommand's options as the vocabulary ({@link UserOptions}) describes them: the
     * command line's options of that list, flags by their type, and their older spellings.
     *
     * @param args  the arguments after the subcommand
     * @param specs the subcommand's options, of every front end (those of Fiji only are unknown here)
     * @throws UsageException for unknown options or missing values
     */
    public Args(List<String> args, List<OptionSpec> specs) {
        this(args, names(specs, false), names(specs, true), aliases(specs));
    }

    private Args(List<String> args, Set<String> valued, Set<String> flagNames, Map<String, String> alias) {
        aliases.putAll(alias);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("Unexpected argument '" + a + "'. Options start with --.");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && !name.startsWith("set=")) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            name = alias.getOrDefault(name, name);
            if (name.equals("set")) {
                if (i + 1 >= args.size() || !args.get(i + 1).contains("=")) {
                    throw new UsageException("--set needs key=value, e.g. --set stage1.iterations=500");
                }
                String kv = args.get(++i);
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (flagNames.contains(name)) {
                flags.add(name);
            } else if (valued.contains(name)) {
                if (inline == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("Option --" + name + " needs a value.");
                    }
                    inline = args.get(++i);
                }
                if (name.equals(UserOptions.SETTINGS)) {
                    overrides.putAll(UserOptions.settings(inline));
                }
                values.put(name, inline);
            } else {
                List<String> known = new ArrayList<>(valued);
                known.addAll(flagNames);
                known.addAll(alias.keySet());
                throw new UsageException("Unknown option --" + name + ". Known options: --" + String.join(", --", known));
            }
        }
    }

    /**
     * @param name option name
     * @return its value
     * @throws UsageException if missing
     */
    public String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            List<String> old = new ArrayList<>();
            aliases.forEach((a, key) -> {
                if (key.equals(name)) {
                    old.add("--" + a);
                }
            });
            throw new UsageException("Missing required option --" + name
                    + (old.isEmpty() ? "" : " (or its older spelling " + String.join(", ", old) + ")") + ".");
        }
        return v;
    }

    /**
     * @param name an option taking a whole number
     * @param def  its value when not given
     * @return its value
     * @throws UsageException naming the option when it is not a whole number
     */
    public long integer(String name, long def) {
        String v = values.get(name);
        try {
            return v == null ? def : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("Option --" + name + " takes a whole number, got '" + v + "'.");
        }
    }

    /**
     * @param name an option taking a number
     * @return its value, or null when not given
     * @throws UsageException naming the option when it is not a number
     */
    public Double number(String name) {
        String v = values.get(name);
        try {
            return v == null ? null : Double.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("Option --" + name + " takes a number, got '" + v + "'.");
        }
    }

    /**
     * @param name option name
     * @param def  default
     * @return its value, or the default
     */
    public String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    /**
     * @param name flag name
     * @return whether it was given
     */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** @return the overrides of {@code --settings} and {@code --set}, in the order given */
    public Map<String, String> overrides() {
        return overrides;
    }

    private static Set<String> names(List<OptionSpec> specs, boolean flagsOnly) {
        Set<String> out = new LinkedHashSet<>();
        for (OptionSpec s : UserOptions.cli(specs)) {
            if ((s.type() == OptionSpec.Type.FLAG) == flagsOnly) {
                out.add(s.key());
            }
        }
        return out;
    }

    private static Map<String, String> aliases(List<OptionSpec> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec s : UserOptions.cli(specs)) {
            s.aliases().forEach(a -> out.put(a, s.key()));
        }
        return out;
    }

    /** A mistake in the command line; exit code 2. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong and what to write instead */
        public UsageException(String message) {
            super(message);
        }
    }
}
