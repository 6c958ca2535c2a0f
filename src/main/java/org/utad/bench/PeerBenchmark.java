package org.utad.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.utad.cli.Args;
import org.utad.cli.Main;
import org.utad.config.Presets;
import org.utad.config.Stage1Config;
import org.utad.config.Stage2Config;
import org.utad.config.UtadConfig;
import org.utad.core.CancellationToken;
import org.utad.engine.Engines;
import org.utad.model.ExpertGenerator;
import org.utad.model.UtadNetworks;
import org.utad.train.Adam;

/**
 * The speed benchmark against plain PyTorch and against the machine (issue 17, docs/BENCHMARKS.md
 * "Speed against PyTorch and the machine"). In one run it times a stage-1 training step, a stage-2
 * generator step, a batch of detection tiles, a large matrix product and a 3x3 convolution through
 * DJL, counts their floating-point operations from the layer shapes, writes the networks'
 * parameters and a few of their outputs to a folder, then starts {@code bench/peer/utad_peer.py},
 * which builds the same networks in PyTorch, loads those parameters, checks that it computes the
 * same outputs, and times the same work on the same threads. The table shows both times, their
 * ratio and the achieved rates against the machine's measured ones.
 */
final class PeerBenchmark {
    private static final String SCRIPT = "bench/peer/utad_peer.py";
    private static final int EQUIVALENCE_BATCH = 2;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    /** Page faults per DJL run at or below which the JVM counts as settled (see {@link #settle}). */
    private static final double SETTLED_FAULTS = 10;
    /** Seconds over which {@link #settle} counts page faults; two quiet stretches in a row settle it. */
    private static final double SETTLE_CHUNK_SECONDS = 15;
    /** Issue 17's target for the convolution-heavy steps: this share of the machine's 3x3 convolution rate. */
    static final double TARGET_SHARE = 0.5;

    private final PrintStream out;
    private final CancellationToken cancel;

    PeerBenchmark(PrintStream out, CancellationToken cancel) {
        this.out = out;
        this.cancel = cancel;
    }

    /**
     * One timed piece of work: its name (shared with the PyTorch script), a description, its
     * operations, and per round the medians of DJL, PyTorch with the same operations and PyTorch
     * with its own layers, in milliseconds, and DJL's page faults per run.
     */
    private record Work(String name, String what, long flops, List<double[]> rounds) {
        Work(String name, String what, long flops) {
            this(name, what, flops, new ArrayList<>());
        }

        /**
         * @return the median over rounds of column i (0 DJL, 1 same operations, 2 PyTorch's own, all
         *         in ms; 3 DJL's page faults per run)
         */
        double ms(int i) {
            return median(rounds.stream().mapToDouble(r -> r[i]).toArray());
        }

        /** @return the median over rounds of DJL's time over column i's */
        double ratio(int i) {
            return median(rounds.stream().mapToDouble(r -> r[0] / r[i]).toArray());
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param a options: preset, rounds, repeats per round, warm-up runs, the most seconds of untimed
     *          DJL runs until the JVM settles ({@code settle}), work folder, Python interpreter, peer
     *          script, and a piece of work to profile first
     * @return the exit code
     * @throws IOException if the export folder cannot be written
     */
    int run(Args a) throws IOException {
        // The peer has no discriminators, so both sides time the generator steps without GAN terms.
        UtadConfig config = PeerWork.withoutGan(Presets.get(a.get("preset", "fast")).with(a.overrides()));
        int repeats = Integer.parseInt(a.get("repeats", "5"));
        int rounds = Integer.parseInt(a.get("rounds", "5"));
        int warmup = Integer.parseInt(a.get("warmup", "3"));
        double settle = Double.parseDouble(a.get("settle", "240"));
        Path work = Path.of(a.get("work", "target/bench-peer"));
        Files.createDirectories(work);
        Engines.offline();
        Engines.engine();
        Engine.getInstance().setRandomSeed((int) config.seed());
        int threads = JniUtils.getNumThreads();
        int size = config.imageSize();
        Stage1Config s1 = config.stage1();
        Stage2Config s2 = config.stage2();
        int tileBatch = PeerWork.TILE_BATCH;
        int codes = config.detect().randomCodes();
        out.println(String.format(Locale.ROOT, "Preset %s, %d px, %d intra-op threads, engine %s", config.preset(), size,
                threads, Engines.summary()));
        // Detection is timed at the tile size whose operations are counted: the preset's tile, or its
        // training size when it sets none.
        WorkCount.Row count = WorkCount.of(config, size);
        WorkCount.Row one = WorkCount.of(PeerWork.oneSample(config), size);
        JsonObject outputs = new JsonObject();
        try (NDManager manager = NDManager.newBaseManager()) {
            UtadNetworks nets = UtadNetworks.create(config, 1, manager, false);
            export(nets, manager, size, work, outputs);
            Map<String, Runnable> steps = PeerWork.networkSteps(nets, manager, config);
            steps.put("matmul", PeerWork.matmul(manager));
            steps.put("conv3x3", PeerWork.conv(manager, size));
            String profiled = a.get("profile", null);
            if (profiled != null) {
                if (!steps.containsKey(profiled)) {
                    throw new IllegalArgumentException("--profile takes one of " + steps.keySet() + ", got " + profiled);
                }
                profile(steps.get(profiled), warmup, work.resolve("djl-profile.json"));
            }
            writeConfig(work, config, s1, s2, size, count.tile(), tileBatch, codes, threads, repeats, warmup,
                    outputs);
            List<Work> works = List.of(
                    new Work(PeerWork.TRAINING_WORKS.get(0), "stage 1 step (IE-Net, batch " + s1.batchSize() + ")", count.stage1()),
                    new Work(PeerWork.TRAINING_WORKS.get(1), "stage 2 generator step (batch " + s2.batchSize() + ")", count.stage2()),
                    new Work("detect_tile_batch", "detection, " + tileBatch + " tiles of " + count.tile() + " px",
                            tileBatch * count.perTile()),
                    new Work(PeerWork.ONE_SAMPLE_WORKS.get(0), "stage 1 step, one sample", one.stage1()),
                    new Work(PeerWork.ONE_SAMPLE_WORKS.get(1), "stage 2 generator step, one sample", one.stage2()),
                    new Work("matmul", "matrix product " + PeerWork.MATMUL_N + " x " + PeerWork.MATMUL_N,
                            2L * PeerWork.MATMUL_N * PeerWork.MATMUL_N * PeerWork.MATMUL_N),
                    new Work("conv3x3", "3x3 convolution " + PeerWork.CONV_BATCH + " x " + PeerWork.CONV_CHANNELS
                            + " x " + size + "^2", 2L * PeerWork.CONV_BATCH * PeerWork.CONV_CHANNELS
                            * PeerWork.CONV_CHANNELS * 9 * size * size));
            try (PeerProcess peer = PeerProcess.start(a.get("python", "/usr/bin/python3"),
                    Path.of(a.get("script", SCRIPT)), work, threads, warmup, out)) {
                measure(works, steps, peer, rounds, warmup, repeats, settle);
                report(works, peer, threads);
            }
        }
        return Main.OK;
    }

    /**
     * Times every piece of work round by round: DJL, then PyTorch with the same operations, then
     * PyTorch with its own layers, so that each round's three numbers see the same state of a shared
     * machine.
     */
    private void measure(List<Work> works, Map<String, Runnable> steps, PeerProcess peer, int rounds, int warmup,
            int repeats, double settleSeconds) throws IOException {
        for (Work w : works) {
            for (int i = 0; i < warmup; i++) {
                steps.get(w.name()).run();
            }
        }
        settle(works, steps, settleSeconds);
        for (int r = 0; r < rounds; r++) {
            for (Work w : works) {
                cancel.throwIfCancelled("the speed benchmark");
                long faults = Memory.minorFaults();
                double djl = median(steps.get(w.name()), repeats);
                double perRun = faults < 0 ? Double.NaN : (Memory.minorFaults() - faults) / (double) repeats;
                double same = peer == null ? Double.NaN : peer.time(w.name(), "mirror", repeats);
                double own = peer == null ? Double.NaN : peer.time(w.name(), "native", repeats);
                w.rounds().add(new double[] {djl, same, own, perRun});
            }
            out.println(String.format(Locale.ROOT, "round %d of %d done", r + 1, rounds));
        }
    }

    /**
     * Runs DJL's works in turn, untimed, until the process has settled, before the first measurement.
     * A fresh JVM is not yet at the speed of a long training run: its compilers still take CPU time,
     * and its heap grows into memory the process has never touched, so young collections hand out
     * pages that the kernel must fault in and zero. On the 2-core machine a stage 1 step faulted
     * 150-300 pages for its first 300-800 steps (20-70 s) and almost none afterwards. The peer, with
     * no JIT and no Java heap, is at its steady speed after a few runs; without this the ratio would
     * charge DJL for its start. Settled means two stretches of {@link #SETTLE_CHUNK_SECONDS} in a row
     * with at most {@link #SETTLED_FAULTS} page faults per run, or {@code maxSeconds} gone; where the
     * fault count cannot be read (not Linux) it runs the whole time.
     */
    private void settle(List<Work> works, Map<String, Runnable> steps, double maxSeconds) {
        if (maxSeconds <= 0) {
            return;
        }
        long start = System.nanoTime();
        long end = start + (long) (maxSeconds * 1e9);
        int passes = 0;
        int quiet = 0;
        double perRun = Double.NaN;
        while (System.nanoTime() < end && quiet < 2) {
            // The heap grows in bursts, so faults are counted over whole stretches of several seconds.
            long faults = Memory.minorFaults();
            long chunkEnd = Math.min(end, System.nanoTime() + (long) (SETTLE_CHUNK_SECONDS * 1e9));
            int runs = 0;
            while (System.nanoTime() < chunkEnd) {
                for (Work w : works) {
                    cancel.throwIfCancelled("the speed benchmark");
                    steps.get(w.name()).run();
                    runs++;
                }
                passes++;
            }
            perRun = faults < 0 ? Double.NaN : (Memory.minorFaults() - faults) / (double) runs;
            quiet = perRun <= SETTLED_FAULTS ? quiet + 1 : 0;
        }
        out.println(String.format(Locale.ROOT, "%s after %d untimed runs of each work in %.0f s (last %.0f s: %s page"
                + " faults per run)", quiet >= 2 ? "settled" : "not settled", passes, (System.nanoTime() - start) / 1e9,
                SETTLE_CHUNK_SECONDS, number(perRun, 0)));
    }

    /**
     * Runs a step a number of times.
     *
     * @param step    the step
     * @param repeats how many times
     * @return the median of its times, ms
     */
    static double median(Runnable step, int repeats) {
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return median(ms);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** Writes the inference networks' parameters and their outputs on a seeded input, for the peer to check. */
    private static void export(UtadNetworks nets, NDManager manager, int size, Path dir, JsonObject outputs)
            throws IOException {
        for (Map.Entry<String, Block> e : nets.inference().entrySet()) {
            writeParameters(e.getValue(), dir.resolve(e.getKey() + ".json"), dir.resolve(e.getKey() + ".f32"));
        }
        Engines.noGradientsOnThisThread();
        try (NDManager m = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x01 = m.create(PeerWork.uniform(new Random(6), EQUIVALENCE_BATCH * size * size),
                    new Shape(EQUIVALENCE_BATCH, 1, size, size));
            write(dir, "input.f32", x01, outputs);
            write(dir, UtadNetworks.IE_NET + ".out.f32", PeerWork.one(nets.ieNet(), ps, x01), outputs);
            NDArray e = x01.mul(2).sub(1);
            for (String name : List.of(UtadNetworks.EXPERT_IMAGE, UtadNetworks.EXPERT_IMPRESSION)) {
                ExpertGenerator g = (ExpertGenerator) nets.inference().get(name);
                NDArray c = PeerWork.one(g.getContentEncoder(), ps, e);
                NDArray s = PeerWork.one(g.getDetailEncoder(), ps, e);
                write(dir, name + ".content.f32", c, outputs);
                write(dir, name + ".detail.f32", s, outputs);
                write(dir, name + ".decoded.f32", PeerWork.one(g.getDecoder(), ps, c, s), outputs);
            }
        }
    }

    private static void writeParameters(Block block, Path index, Path data) throws IOException {
        JsonArray list = new JsonArray();
        long offset = 0;
        try (OutputStream os = Files.newOutputStream(data)) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray a = p.getValue().getArray();
                JsonObject entry = new JsonObject();
                entry.addProperty("name", p.getKey());
                entry.add("shape", GSON.toJsonTree(a.getShape().getShape()));
                entry.addProperty("offset", offset);
                list.add(entry);
                os.write(littleEndian(a.toFloatArray()));
                offset += a.size();
            }
        }
        Files.writeString(index, GSON.toJson(list), StandardCharsets.UTF_8);
    }

    private static void write(Path dir, String file, NDArray a, JsonObject outputs) throws IOException {
        Files.write(dir.resolve(file), littleEndian(a.toFloatArray()));
        outputs.add(file, GSON.toJsonTree(a.getShape().getShape()));
    }

    private static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static void writeConfig(Path dir, UtadConfig config, Stage1Config s1, Stage2Config s2, int size,
            int tile, int tileBatch, int codes, int threads, int repeats, int warmup, JsonObject outputs) throws IOException {
        JsonObject c = object("channels", 1, "size", size, "ie_filters", config.ieNet().filters(),
                "expert", config.expertNet(),
                "stage1", object("batch", s1.batchSize(), "lr", s1.learningRate(), "recon_weight", s1.reconWeight(),
                        "beta1", Adam.BETA1_IE_NET, "beta2", Adam.BETA2),
                "stage2", object("batch", s2.batchSize(), "lr", s2.learningRate(), "image_recon", s2.imageRecon(),
                        "paired", s2.paired(), "content_recon", s2.contentRecon(), "detail_recon", s2.detailRecon(),
                        "beta1", Adam.BETA1_GAN, "beta2", Adam.BETA2),
                "detect", object("tile", tile, "tile_batch", tileBatch, "random_codes", codes),
                "rate", object("matmul_n", PeerWork.MATMUL_N, "conv_batch", PeerWork.CONV_BATCH,
                        "conv_channels", PeerWork.CONV_CHANNELS, "conv_size", size),
                "one_sample_batch", PeerWork.oneSample(config).stage1().batchSize(),
                "threads", threads, "repeats", repeats, "warmup", warmup, "outputs", outputs);
        Files.writeString(dir.resolve("config.json"), GSON.toJson(c), StandardCharsets.UTF_8);
    }

    /** @return a JSON object of alternating keys and values (numbers, records, or JSON already) */
    private static JsonObject object(Object... keysAndValues) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            o.add((String) keysAndValues[i], v instanceof JsonElement ? (JsonElement) v : GSON.toJsonTree(v));
        }
        return o;
    }

    private void report(List<Work> works, PeerProcess peer, int threads) {
        Work conv = works.get(works.size() - 1);
        double djlConv = conv.flops() / conv.ms(0) / 1e6;
        double peerConv = conv.flops() / conv.ms(2) / 1e6;
        out.println();
        out.println("| work | GFLOP | DJL ms | PyTorch ms, same ops | PyTorch ms, own layers | DJL / PyTorch (own layers)"
                + " | DJL / PyTorch (same ops) | DJL GFLOP/s | PyTorch GFLOP/s (own layers) | DJL share of DJL's 3x3"
                + " conv rate | PyTorch share of PyTorch's | DJL page faults per run |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Work w : works) {
            double djlRate = w.flops() / w.ms(0) / 1e6;
            double peerRate = w.flops() / w.ms(2) / 1e6;
            out.println(String.format(Locale.ROOT,
                    "| %s | %.3f | %.1f | %s | %s | %s | %s | %.1f | %s | %.0f %% | %s | %s |",
                    w.what(), w.flops() / 1e9, w.ms(0), number(w.ms(1), 1), number(w.ms(2), 1), number(w.ratio(2), 2),
                    number(w.ratio(1), 2), djlRate, number(peerRate, 1), 100 * djlRate / djlConv,
                    Double.isNaN(peerRate) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * peerRate / peerConv),
                    number(w.ms(3), 0)));
        }
        out.println(String.format(Locale.ROOT, "Medians over %d rounds; ratios are the median of each round's ratio.",
                conv.rounds().size()));
        reportOneSample(works, djlConv, peerConv);
        if (peer != null) {
            out.println(String.format(Locale.ROOT, "PyTorch %s on %d threads; DJL runs libtorch 2.7.1 on %d.",
                    peer.torchVersion(), peer.threads(), threads));
            for (String line : peer.equivalence()) {
                out.println(line);
            }
        }
    }

    /**
     * What the training steps cost apart from their data, against the time the convolution target
     * leaves them: per stage, the one-sample step's time as a share of the batch's, and the time in
     * which the batch's step would run at {@link #TARGET_SHARE} of the 3x3 rate measured in this run.
     * When one sample already takes most of that time, the rest of the batch's work would have to
     * run faster than the convolution rate itself: only fewer or cheaper engine operations per step
     * could reach the target.
     */
    private void reportOneSample(List<Work> works, double djlConv, double peerConv) {
        for (int stage = 0; stage < PeerWork.ONE_SAMPLE_WORKS.size(); stage++) {
            Work batch = find(works, PeerWork.TRAINING_WORKS.get(stage));
            Work one = find(works, PeerWork.ONE_SAMPLE_WORKS.get(stage));
            out.println(String.format(Locale.ROOT, "Stage %d on one sample: DJL %.1f ms (%.0f %% of its batch's"
                    + " %.1f ms), PyTorch (own layers) %s ms (%s); at %.0f %% of the 3x3 rate the batch's step would"
                    + " take %.1f ms in DJL, %s ms in PyTorch.", stage + 1, one.ms(0), 100 * one.ms(0) / batch.ms(0),
                    batch.ms(0), number(one.ms(2), 1), Double.isNaN(one.ms(2)) ? "-"
                            : String.format(Locale.ROOT, "%.0f %% of its batch's %.1f ms", 100 * one.ms(2) / batch.ms(2),
                                    batch.ms(2)), 100 * TARGET_SHARE, msAtRate(batch.flops(), TARGET_SHARE * djlConv),
                    number(msAtRate(batch.flops(), TARGET_SHARE * peerConv), 1)));
        }
    }

    /**
     * @param flops        floating-point operations
     * @param gflopsPerSec a rate in GFLOP/s
     * @return the milliseconds those operations take at that rate
     */
    static double msAtRate(long flops, double gflopsPerSec) {
        return flops / (gflopsPerSec * 1e6);
    }

    private static Work find(List<Work> works, String name) {
        return works.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    private static String number(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Records PyTorch's own profile of a few steps and prints where the time goes, by operator. */
    private void profile(Runnable step, int warmup, Path trace) throws IOException {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        JniUtils.startProfile(false, true, false);
        for (int i = 0; i < 3; i++) {
            step.run();
        }
        JniUtils.stopProfile(trace.toString());
        OperatorProfile.print(trace, 3, out);
    }
}
