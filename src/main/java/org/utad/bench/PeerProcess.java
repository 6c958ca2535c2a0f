package org.utad.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.utad.engine.NativeHeap;

/**
 * The plain-PyTorch peer of the speed benchmark, running as a child process
 * ({@code bench/peer/utad_peer.py --serve}): it loads the exported networks, reports how far its
 * outputs are from Java's, then times one piece of work per request, so that the benchmark can
 * alternate DJL and PyTorch measurements round by round.
 */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader in;
    private final Writer toPeer;
    private final PrintStream out;
    private final String torchVersion;
    private final int threads;
    private final List<String> equivalence = new ArrayList<>();

    private PeerProcess(Process process, PrintStream out) throws IOException {
        this.process = process;
        this.out = out;
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        toPeer = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        JsonObject header = null;
        for (String line = in.readLine(); line != null && !line.equals("ready"); line = in.readLine()) {
            out.println("  peer: " + line);
            if (line.startsWith("{")) {
                header = JsonParser.parseString(line).getAsJsonObject();
            }
        }
        if (header == null) {
            throw new IOException("The PyTorch peer stopped before it was ready (exit code "
                    + waitFor() + "); its messages are above.");
        }
        torchVersion = header.get("torch").getAsString();
        threads = header.get("threads").getAsInt();
        JsonElement eq = header.get("equivalence");
        if (eq != null && eq.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : eq.getAsJsonObject().entrySet()) {
                JsonObject v = e.getValue().getAsJsonObject();
                equivalence.add(String.format(Locale.ROOT, "Same parameters, same input: PyTorch's %s differs from"
                        + " DJL's by at most %.2e (%.2e of its largest value)", e.getKey(),
                        v.get("max_abs").getAsDouble(), v.get("max_rel").getAsDouble()));
            }
        }
    }

    /**
     * Starts the peer on an exported folder, or returns null, saying why, when it cannot run here, so
     * that the benchmark still reports DJL's numbers.
     *
     * @param python  the Python interpreter that has torch (Debian's python3-torch)
     * @param script  the peer script
     * @param export  the folder the benchmark exported the networks to
     * @param threads intra-op threads, as DJL's
     * @param warmup  untimed runs before the first measurement of each piece of work
     * @param out     where the peer's messages are echoed
     * @return the running peer, or null
     * @throws IOException if the peer starts but fails before it is ready
     */
    static PeerProcess start(String python, Path script, Path export, int threads, int warmup, PrintStream out)
            throws IOException {
        if (!Files.isRegularFile(script)) {
            out.println("No PyTorch peer: " + script + " not found (run from the checkout, or give --script).");
            return null;
        }
        List<String> cmd = List.of(python, script.toString(), "--export", export.toString(), "--threads",
                String.valueOf(threads), "--warmup", String.valueOf(warmup), "--serve");
        try {
            // The peer gets the heap settings DJL runs under (engine/NativeHeap): without them every freed
            // tensor goes back to the system and the next step faults its pages in again.
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putAll(NativeHeap.environment());
            return new PeerProcess(pb.start(), out);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Cannot run program")) {
                out.println("No PyTorch peer: cannot start " + python + " (" + e.getMessage() + "). Install Debian's"
                        + " python3-torch, or give --python.");
                return null;
            }
            throw e;
        }
    }

    /**
     * Asks the peer to time one piece of work.
     *
     * @param work    the work's name, as in the exported configuration
     * @param variant "mirror" for the same operations as the Java layers, "native" for PyTorch's own layers
     * @param repeats timed runs
     * @return the median milliseconds
     * @throws IOException if the peer has stopped
     */
    double time(String work, String variant, int repeats) throws IOException {
        toPeer.write(work + " " + variant + " " + repeats + "\n");
        toPeer.flush();
        String line = in.readLine();
        if (line == null || !line.startsWith("{")) {
            throw new IOException("The PyTorch peer stopped answering (last line: " + line + ")");
        }
        return JsonParser.parseString(line).getAsJsonObject().get("ms").getAsDouble();
    }

    /** @return the peer's torch version, as it reports it */
    String torchVersion() {
        return torchVersion;
    }

    /** @return the peer's intra-op threads */
    int threads() {
        return threads;
    }

    /** @return one line per compared output: how far the peer's output is from DJL's */
    List<String> equivalence() {
        return equivalence;
    }

    private int waitFor() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Tells the peer to stop and waits for it; kills it if it does not stop. */
    @Override
    public void close() {
        try {
            toPeer.write("quit\n");
            toPeer.flush();
        } catch (IOException e) {
            // The peer has already gone; destroy() below makes sure.
            process.destroy();
        }
        waitFor();
    }
}
