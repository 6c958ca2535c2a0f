package org.utad.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line options of one subcommand: {@code --key value} pairs, repeatable
 * {@code --set key=value} overrides and bare {@code --flag}s, checked against the subcommand's
 * known names so that a typo is an error rather than silently ignored. Public so that the other
 * command-line entry points (the Spark job) read options exactly as {@code utad} does.
 */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();

    /**
     * @param args      the arguments after the subcommand
     * @param valued    option names that take a value
     * @param flagNames option names that take none
     * @throws UsageException for unknown options or missing values
     */
    public Args(List<String> args, Set<String> valued, Set<String> flagNames) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("Unexpected argument '" + a + "'. Options start with --.");
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && !name.startsWith("set")) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
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
                values.put(name, inline);
            } else {
                List<String> known = new ArrayList<>(valued);
                known.addAll(flagNames);
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
            throw new UsageException("Missing required option --" + name + ".");
        }
        return v;
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

    /** @return the --set overrides in order */
    public Map<String, String> overrides() {
        return overrides;
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
