package org.utad.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch operations that DJL 0.36 does not expose, reached as methods of a small TorchScript
 * module whose source is written in this class: today the reflection padding of MUNIT's layers
 * ({@code aten::reflection_pad2d}, forward and backward in one native operation each).
 *
 * <p>Why: DJL pads only with constants, so reflection padding was built from a zero padding and
 * four mirrored strips (or, with gradients, from splits, flips and concatenations): about ten engine
 * calls and several full copies per padded convolution. The native operation writes the padded
 * array once. It made the detection step 0.91 and the stage 2 step 0.87 of their time
 * (docs/BENCHMARKS.md, issue 17's tenth pass).
 *
 * <p>How: the module is a TorchScript archive (a zip of the Python-like source, a pickled empty
 * module object and a format version) built in memory at the first use and loaded by libtorch, so
 * no binary file and no Python are needed. Its methods run under the calling thread's gradient
 * mode: recorded by autograd while training, not while detecting (DJL's own method call would run
 * them in inference mode, whose results autograd cannot use). The module has no parameters, so it
 * serves every device. If it cannot be built or loaded (a libtorch that refuses it), {@link
 * #reflects(NDArray, int)} says no, the callers keep their built-up forms (same values), and the
 * engine diagnostics say why.
 */
public final class ScriptedOps {
    /** The largest reflection padding the module has a method for; MUNIT's layers pad 1 to 3. */
    static final int MAX_PAD = 8;
    /** The module's class name, in TorchScript's {@code __torch__} namespace. */
    private static final String CLASS_NAME = "UtadOps";
    /** The archive's top folder, which libtorch takes as the module's name. */
    private static final String ARCHIVE = "utad_ops";
    /**
     * The archive's file format version: 3, what PyTorch 1.13's {@code torch.jit.save} writes for a
     * module of this kind, and libtorch 2.7.1 loads it.
     */
    private static final String FORMAT_VERSION = "3";

    private static final Once<Loaded> MODULE = new Once<>(ScriptedOps::load);
    /** Whether this thread has turned libtorch's graph optimiser off. */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTION = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ScriptedOps() {
    }

    /**
     * The loaded module with one marker array per method, indexed by the padding: DJL's only call that
     * lets a module's method record gradients takes the method's name from an input array named
     * {@code module_method:NAME}, which it leaves out of the call. The markers are never handed to
     * libtorch.
     */
    private static final class Loaded {
        final PtSymbolBlock module;
        final NDArray[] markers;
        final String problem;

        Loaded(PtSymbolBlock module, NDArray[] markers, String problem) {
            this.module = module;
            this.markers = markers;
            this.problem = problem;
        }
    }

    /**
     * Whether {@link #reflectionPad(NDArray, int)} can pad {@code x} natively: the module loaded, the
     * padding has a method, and {@code x} carries no name (DJL reads a named input array as a
     * structured argument or a method name).
     *
     * @param x   the NCHW array to pad
     * @param pad pixels per side
     * @return true when the native padding applies
     */
    public static boolean reflects(NDArray x, int pad) {
        return pad >= 1 && pad <= MAX_PAD && x.getName() == null && MODULE.get().module != null;
    }

    /**
     * Reflection padding of the last two axes, {@code torch.nn.functional.pad(x, [p, p, p, p],
     * "reflect")}, recorded by autograd when the thread records gradients.
     *
     * @param x   an NCHW array whose height and width exceed {@code pad}; checked by the caller
     * @param pad pixels per side, 1 to {@link #MAX_PAD}
     * @return the padded array, owned by {@code x}'s manager
     * @throws IllegalStateException if {@link #reflects(NDArray, int)} is false for these arguments
     */
    public static NDArray reflectionPad(NDArray x, int pad) {
        if (!reflects(x, pad)) {
            throw new IllegalStateException("No native reflection padding of " + pad + " for this array: "
                    + (problem() == null ? "ask ScriptedOps.reflects first" : problem()));
        }
        return call(pad, x);
    }

    /** @return why the module is not in use, or null when it is */
    public static String problem() {
        return MODULE.get().problem;
    }

    /**
     * Runs the module's method of padding {@code pad} under the thread's gradient mode. The first call
     * on a thread turns libtorch's graph optimiser off for that thread (a per-thread setting): it would
     * profile and re-specialise each method for every new input shape, and these methods are meant to
     * run as written.
     */
    private static NDArray call(int pad, NDArray x) {
        if (!PLAIN_EXECUTION.get()) {
            JniUtils.setGraphExecutorOptimize(false);
            PLAIN_EXECUTION.set(Boolean.TRUE);
        }
        Loaded loaded = MODULE.get();
        // true: run the method as it is, under the thread's gradient mode, not in inference mode.
        return IValueUtils.forward(loaded.module, new NDList(x, loaded.markers[pad]), true).singletonOrThrow();
    }

    /**
     * The TorchScript source of the module: an identity {@code forward} (every module needs one) and
     * one reflection-padding method per padding, since DJL passes only arrays to a method.
     *
     * @return the source text, as it is stored in the archive
     */
    private static String source() {
        StringBuilder s = new StringBuilder();
        s.append("class ").append(CLASS_NAME).append("(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n")
                .append("  def forward(self: __torch__.").append(CLASS_NAME).append(",\n")
                .append("    x: Tensor) -> Tensor:\n")
                .append("    return x\n");
        for (int p = 1; p <= MAX_PAD; p++) {
            s.append("  def ").append(reflectionMethod(p)).append("(self: __torch__.").append(CLASS_NAME)
                    .append(",\n")
                    .append("    x: Tensor) -> Tensor:\n")
                    .append("    return torch.reflection_pad2d(x, [").append(p).append(", ").append(p).append(", ")
                    .append(p).append(", ").append(p).append("])\n");
        }
        return s.toString();
    }

    /** @return the name of the method that pads by {@code pad} */
    private static String reflectionMethod(int pad) {
        return "reflection_pad_" + pad;
    }

    /**
     * The module object as TorchScript's unpickler reads it (pickle protocol 2): an instance of the
     * class built with no arguments, whose one attribute {@code training} is true.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80); // PROTO
        b.write(2);
        writeAscii(b, "c__torch__\n" + CLASS_NAME + "\n"); // GLOBAL module and class
        b.write(')'); // EMPTY_TUPLE: no constructor arguments
        b.write(0x81); // NEWOBJ
        b.write('}'); // EMPTY_DICT: the attributes
        writeUnicode(b, "training");
        b.write(0x88); // NEWTRUE
        b.write('s'); // SETITEM
        b.write('b'); // BUILD: set the attributes on the object
        b.write('.'); // STOP
        return b.toByteArray();
    }

    /** The archive's constant table, empty: a pickled empty tuple. */
    private static byte[] emptyConstants() {
        return new byte[] {(byte) 0x80, 2, ')', '.'};
    }

    private static void writeUnicode(ByteArrayOutputStream b, String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        b.write('X'); // BINUNICODE, a 4-byte little-endian length, then the UTF-8 bytes
        for (int i = 0; i < 4; i++) {
            b.write(text.length >>> (8 * i));
        }
        b.write(text, 0, text.length);
    }

    private static void writeAscii(ByteArrayOutputStream b, String s) {
        byte[] text = s.getBytes(StandardCharsets.US_ASCII);
        b.write(text, 0, text.length);
    }

    /**
     * The TorchScript archive: uncompressed zip entries under one top folder, as {@code
     * torch.jit.save} writes them.
     *
     * @return the archive's bytes
     */
    private static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, ARCHIVE + "/data.pkl", modulePickle());
            stored(zip, ARCHIVE + "/code/__torch__.py", source().getBytes(StandardCharsets.UTF_8));
            stored(zip, ARCHIVE + "/constants.pkl", emptyConstants());
            stored(zip, ARCHIVE + "/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Builds and loads the module, once per JVM. The module and its markers live as long as the
     * engine (a few hundred bytes of native memory), in a manager of their own that is never closed.
     */
    private static Loaded load() {
        Engines.engine();
        NDManager manager = NDManager.newBaseManager();
        try {
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive()),
                    true, false);
            NDArray[] markers = new NDArray[MAX_PAD + 1];
            for (int p = 1; p <= MAX_PAD; p++) {
                markers[p] = manager.create(0f);
                markers[p].setName("module_method:" + reflectionMethod(p));
            }
            return new Loaded(module, markers, null);
        } catch (IOException | RuntimeException e) {
            manager.close();
            String problem = "libtorch did not load the TorchScript helper (" + e.getMessage()
                    + "); reflection padding is built from DJL's operations instead (same values, slower)";
            Engines.laterNote(problem);
            return new Loaded(null, null, problem);
        }
    }
}
