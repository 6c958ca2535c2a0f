package org.utad.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the Chrome trace that PyTorch's profiler writes (through DJL's {@code JniUtils.stopProfile})
 * and prints where the time went by operator: self time (the operator's own time, without the
 * operators it called), calls, and how many calls were top-level, each of which is one call from
 * Java into the engine. It answers "which operators, and how many crossings" for the speed
 * benchmark without any tool outside the JVM.
 */
final class OperatorProfile {
    private static final int TOP = 25;

    private OperatorProfile() {
    }

    /** One operator's totals. */
    private static final class Totals {
        double selfUs;
        long calls;
        long topLevel;
    }

    /** One traced call, with the time of the calls nested in it subtracted as they are found. */
    private record Call(String name, double start, double end, double[] childUs) {
    }

    /**
     * Prints the operators with the most self time, per step.
     *
     * @param trace the trace file
     * @param steps how many steps the trace covers, to report per-step figures
     * @param out   where to print
     * @throws IOException if the trace cannot be read
     */
    static void print(Path trace, int steps, PrintStream out) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(trace, StandardCharsets.UTF_8));
        JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
        Map<String, List<JsonObject>> byThread = new HashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("dur") && "X".equals(text(o, "ph"))) {
                byThread.computeIfAbsent(text(o, "pid") + "/" + text(o, "tid"), k -> new ArrayList<>()).add(o);
            }
        }
        Map<String, Totals> totals = new HashMap<>();
        double wall = 0;
        for (List<JsonObject> calls : byThread.values()) {
            calls.sort(Comparator.comparingDouble((JsonObject o) -> o.get("ts").getAsDouble())
                    .thenComparing(o -> -o.get("dur").getAsDouble()));
            Deque<Call> open = new ArrayDeque<>();
            for (JsonObject o : calls) {
                double ts = o.get("ts").getAsDouble();
                double dur = o.get("dur").getAsDouble();
                while (!open.isEmpty() && open.peek().end() <= ts) {
                    close(open.pop(), totals);
                }
                Totals t = totals.computeIfAbsent(text(o, "name"), k -> new Totals());
                t.calls++;
                if (open.isEmpty()) {
                    t.topLevel++;
                    wall += dur;
                } else {
                    open.peek().childUs()[0] += dur;
                }
                open.push(new Call(text(o, "name"), ts, ts + dur, new double[] {0}));
            }
            while (!open.isEmpty()) {
                close(open.pop(), totals);
            }
        }
        double engineUs = wall;
        long topLevel = totals.values().stream().mapToLong(t -> t.topLevel).sum();
        out.println(String.format(Locale.ROOT, "Profile of %d steps: %.1f ms per step inside the engine, %d engine"
                + " calls from Java per step", steps, wall / 1000 / steps, topLevel / steps));
        out.println("| operator | self ms per step | share | calls per step |");
        out.println("|---|---|---|---|");
        totals.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue().selfUs, a.getValue().selfUs)).limit(TOP)
                .forEach(e -> out.println(String.format(Locale.ROOT, "| %s | %.2f | %.1f %% | %.0f |", e.getKey(),
                        e.getValue().selfUs / 1000 / steps, 100 * e.getValue().selfUs / engineUs,
                        (double) e.getValue().calls / steps)));
    }

    private static void close(Call c, Map<String, Totals> totals) {
        totals.get(c.name()).selfUs += c.end() - c.start() - c.childUs()[0];
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null ? "" : e.getAsString();
    }
}
