package org.utad.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libtorch operations that DJL 0.36 does not expose, reached as methods of a small TorchScript
 * module whose source is written in this class: the reflection padding of MUNIT's layers
 * ({@code aten::reflection_pad2d}, forward and backward in one native operation each),
 * libtorch's fused Adam update of a whole network ({@code aten::_fused_adam_}), a training
 * max pooling whose window positions come from libtorch's channels-last kernel, and the channels-last
 * layout in which the IE-Net trains ({@link ChannelsLast}).
 *
 * <p>Why: DJL pads only with constants, so reflection padding was built from a zero padding and
 * four mirrored strips (or, with gradients, from splits, flips and concatenations): about ten engine
 * calls and several full copies per padded convolution. The native operation writes the padded
 * array once. It made the detection step 0.91 and the stage 2 step 0.87 of their time
 * (docs/BENCHMARKS.md, issue 17's tenth pass). DJL's Adam update is a dozen operations per
 * parameter, each a pass over it with temporaries; the fused update reads and writes each weight,
 * moment and gradient once, for all parameters in one call (thirteenth pass). libtorch's max pooling
 * of NCHW arrays, which training needs for the positions its backward pass sends gradients to, compares
 * one value at a time; its channels-last kernel compares a vector of channels at a time (fourteenth
 * pass, {@link #gatheredMaxPool}).
 *
 * <p>How: the module is a TorchScript archive (a zip of the Python-like source, a pickled empty
 * module object and a format version; {@link TorchScriptArchive}) built in memory at the first use and
 * loaded by libtorch, so no binary file and no Python are needed. Its methods run under the calling
 * thread's gradient mode: recorded by autograd while training, not while detecting (DJL's own method
 * call would run them in inference mode, whose results autograd cannot use). The module has no
 * parameters, so it serves every device. If it cannot be built or loaded (a libtorch that refuses it),
 * {@link #reflects(NDArray, int)}, {@link #fusesAdam()} and {@link #gathersMaxPool} say no, the callers
 * keep their other forms (same values, to rounding for Adam), and the engine diagnostics say why.
 */
public final class ScriptedOps {
    /** The largest reflection padding the module has a method for; MUNIT's layers pad 1 to 3. */
    static final int MAX_PAD = 8;
    /** The module's class name, in TorchScript's {@code __torch__} namespace. */
    private static final String CLASS_NAME = "UtadOps";
    /** The archive's top folder, which libtorch takes as the module's name. */
    private static final String ARCHIVE = "utad_ops";
    /** The name of the module's Adam method. */
    private static final String ADAM_METHOD = "adam";
    /** The name of the module's method that says whether autograd records an array's history. */
    private static final String REQUIRES_GRAD_METHOD = "requires_grad";
    /** The name of the module's method that lays an array out channels-last. */
    static final String CHANNELS_LAST_METHOD = "channels_last";
    /** The name of the module's method that says whether an array's channels are its innermost axis. */
    static final String HOLDS_CHANNELS_LAST_METHOD = "holds_channels_last";
    /** The largest pooling window the module has methods for; the IE-Net's windows are 2 to 4. */
    static final int MAX_POOL_WINDOW = 4;

    private static final Once<Loaded> MODULE = new Once<>(ScriptedOps::load);
    /** Whether this thread has turned libtorch's graph optimiser off. */
    private static final ThreadLocal<Boolean> PLAIN_EXECUTION = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ScriptedOps() {
    }

    /**
     * The loaded module with one marker array per method, by the method's name:
     * DJL's only call that lets a module's method record gradients takes the method's name from an
     * input array named {@code module_method:NAME}, which it leaves out of the call. The markers are
     * never handed to libtorch.
     */
    private static final class Loaded {
        final PtSymbolBlock module;
        final Map<String, NDArray> namedMarkers;
        final String problem;

        Loaded(PtSymbolBlock module, Map<String, NDArray> namedMarkers, String problem) {
            this.module = module;
            this.namedMarkers = namedMarkers;
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
        return pad >= 1 && pad <= MAX_PAD && x.getName() == null && loaded();
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
        return callNamed(reflectionMethod(pad), x);
    }

    /** @return whether {@link #fusedAdam} can run: the module loaded */
    public static boolean fusesAdam() {
        return loaded();
    }

    /**
     * One Adam step of every weight in libtorch's fused kernel, then zeroes the gradients. Every weight
     * must have a gradient, as for DJL's update (a backward pass that reached it). PyTorch's formula:
     * m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2,
     * w -= lr / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
     * It runs with the thread's gradient mode, which must be off (an in-place change of a weight is
     * refused while autograd records).
     *
     * @param weights       the weights, float32 arrays that record gradients
     * @param firstMoments  m, one per weight, of the weight's shape; updated in place
     * @param secondMoments v, one per weight; updated in place
     * @param learningRate  lr
     * @param beta1         the first moment's decay
     * @param beta2         the second moment's decay
     * @param epsilon       eps, added after the bias correction as PyTorch does
     * @param step          t, counting from 1 for the first step
     * @throws IllegalStateException if {@link #fusesAdam()} is false
     */
    public static void fusedAdam(List<NDArray> weights, List<NDArray> firstMoments, List<NDArray> secondMoments,
            float learningRate, float beta1, float beta2, double epsilon, long step) {
        Loaded loaded = MODULE.get();
        if (loaded.module == null) {
            throw new IllegalStateException("No fused Adam: " + loaded.problem);
        }
        if (weights.isEmpty()) {
            return;
        }
        // DJL gathers input arrays named "NAME[]" into one list argument, in the order of first appearance.
        // The names are lent for the call only: each array gets its own name back afterwards.
        List<List<NDArray>> lists = List.of(weights, firstMoments, secondMoments);
        String[] listNames = {"w[]", "m[]", "v[]"};
        NDList inputs = new NDList();
        List<String> ownNames = new ArrayList<>();
        try (NDManager scope = weights.get(0).getManager().newSubManager()) {
            try {
                for (int l = 0; l < lists.size(); l++) {
                    for (NDArray a : lists.get(l)) {
                        ownNames.add(a.getName());
                        a.setName(listNames[l]);
                        inputs.add(a);
                    }
                }
                inputs.add(scope.create(new double[] {learningRate, beta1, beta2, epsilon, step}));
                inputs.add(loaded.namedMarkers.get(ADAM_METHOD));
                call(inputs).close();
            } finally {
                for (int i = 0; i < ownNames.size(); i++) {
                    inputs.get(i).setName(ownNames.get(i));
                }
            }
        }
    }

    /**
     * Whether {@link #gatheredMaxPool} can pool {@code x}: the module loaded, it has a method for this
     * window, stride and padding (square windows of 2 to {@link #MAX_POOL_WINDOW}, stride 1 or the
     * window, padding 0 or 1 and at most half the window), {@code x} is NCHW and carries no name.
     *
     * @param x      the array to pool
     * @param kernel window side
     * @param stride step between windows
     * @param pad    padding on every side
     * @return true when the gathered pooling applies
     */
    public static boolean gathersMaxPool(NDArray x, int kernel, int stride, int pad) {
        Loaded loaded = MODULE.get();
        return loaded.module != null && x.getName() == null && x.getShape().dimension() == 4
                && loaded.namedMarkers.containsKey(poolMethod(kernel, stride, pad));
    }

    /**
     * Max pooling for training, {@code torch.nn.functional.max_pool2d(x, kernel, stride, pad)}, with
     * the same values and the same gradients, bit for bit, as libtorch's NCHW pooling. libtorch's
     * channels-last kernel finds each window's position (on a detached channels-last copy of {@code
     * x}), and a gather of {@code x} at those positions gives the output: autograd records only the
     * gather, whose backward pass adds each window's gradient at its position, as the pooling's own
     * does. Both kernels scan a window in the same order and keep its first largest value, so equal
     * values send their gradient to the same one. libtorch's NCHW kernel compares one value at a time
     * and took a fifth of a stage 1 step; this form compares a vector of channels at a time, for the
     * price of one copy of the input (docs/BENCHMARKS.md, issue 17's fourteenth pass).
     *
     * @param x      an NCHW array whose planes are at least {@code kernel - 2 pad} on each side
     * @param kernel window side
     * @param stride step between windows
     * @param pad    padding on every side (never wins a window)
     * @return the pooled array (floor mode), owned by {@code x}'s manager
     * @throws IllegalStateException if {@link #gathersMaxPool} is false for these arguments
     */
    public static NDArray gatheredMaxPool(NDArray x, int kernel, int stride, int pad) {
        if (!gathersMaxPool(x, kernel, stride, pad)) {
            throw new IllegalStateException("No gathered max pooling of window " + kernel + ", stride " + stride
                    + " and padding " + pad + " for this array: "
                    + (problem() == null ? "ask ScriptedOps.gathersMaxPool first" : problem()));
        }
        return callNamed(poolMethod(kernel, stride, pad), x);
    }

    /**
     * Whether autograd records what is computed from {@code x}: libtorch's {@code requires_grad}, true
     * for a weight that records gradients and for every array computed from one while the thread
     * records. DJL 0.36's {@code NDArray.hasGradient()} says false for the latter, so it cannot tell a
     * batch of images from a layer's output.
     *
     * @param x an array without a name
     * @return whether x requires a gradient; true when the module did not load, which keeps callers on
     *         their paths that are safe for gradients
     */
    public static boolean requiresGradient(NDArray x) {
        return !loaded() || x.getName() != null || answer(REQUIRES_GRAD_METHOD, x);
    }

    /**
     * Runs one of the module's methods of one array by name (the paddings, the poolings, the layout
     * methods of {@link ChannelsLast}, the requires-gradient question).
     *
     * @param method the method's name, one of the named markers
     * @param x      an array without a name
     * @return the method's result, owned by {@code x}'s manager
     * @throws IllegalStateException if the module did not load
     */
    static NDArray callNamed(String method, NDArray x) {
        Loaded loaded = MODULE.get();
        if (loaded.module == null) {
            throw new IllegalStateException("No TorchScript helper for " + method + ": " + loaded.problem);
        }
        return call(new NDList(x, loaded.namedMarkers.get(method))).singletonOrThrow();
    }

    /**
     * Runs one of the module's methods that answer yes or no about one array, by name.
     *
     * @param method the method's name, one of the named markers
     * @param x      an array without a name
     * @return the method's answer
     * @throws IllegalStateException if the module did not load
     */
    static boolean answer(String method, NDArray x) {
        try (NDArray answer = callNamed(method, x)) {
            return answer.getBoolean();
        }
    }

    /** @return whether the module loaded, so that {@link #callNamed} can run */
    static boolean loaded() {
        return MODULE.get().module != null;
    }

    /** @return why the module is not in use, or null when it is */
    public static String problem() {
        return MODULE.get().problem;
    }

    /**
     * Runs the method named by the inputs' marker array under the thread's gradient mode. The first call
     * on a thread turns libtorch's graph optimiser off for that thread (a per-thread setting): it would
     * profile and re-specialise each method for every new input shape, and these methods are meant to
     * run as written.
     */
    private static NDList call(NDList inputs) {
        if (!PLAIN_EXECUTION.get()) {
            JniUtils.setGraphExecutorOptimize(false);
            PLAIN_EXECUTION.set(Boolean.TRUE);
        }
        // true: run the method as it is, under the thread's gradient mode, not in inference mode.
        return IValueUtils.forward(MODULE.get().module, inputs, true);
    }

    /**
     * The TorchScript source of the module: an identity {@code forward} (every module needs one), the
     * Adam step, and one reflection-padding method per padding, since DJL passes only arrays to a
     * method (so the Adam step takes its numbers as a float64 array, the step count last). The Adam
     * step updates the lists it is given in place: an update of lists built inside the method changed
     * nothing (libtorch 2.7.1 drops it as having no effect outside the method).
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
        s.append("  def ").append(ADAM_METHOD).append("(self: __torch__.").append(CLASS_NAME).append(",\n")
                .append("    w: List[Tensor],\n")
                .append("    m: List[Tensor],\n")
                .append("    v: List[Tensor],\n")
                .append("    h: Tensor) -> Tensor:\n")
                .append("    gs = annotate(List[Tensor], [])\n")
                .append("    steps = annotate(List[Tensor], [])\n")
                .append("    for p in w:\n")
                .append("      gs.append(p.grad)\n")
                .append("      steps.append(h[4])\n")
                .append("    torch._fused_adam_(w, gs, m, v, annotate(List[Tensor], []), steps, lr=float(h[0]),")
                .append(" beta1=float(h[1]), beta2=float(h[2]), weight_decay=0., eps=float(h[3]), amsgrad=False,")
                .append(" maximize=False)\n")
                .append("    torch._foreach_zero_(gs)\n")
                .append("    return h\n");
        s.append("  def ").append(REQUIRES_GRAD_METHOD).append("(self: __torch__.").append(CLASS_NAME).append(",\n")
                .append("    x: Tensor) -> Tensor:\n")
                .append("    return torch.tensor(x.requires_grad)\n");
        // The channels-last layout is 2 in libtorch's MemoryFormat: the archive's source does not
        // resolve the name torch.channels_last.
        for (int[] pool : pools()) {
            int k = pool[0];
            int st = pool[1];
            int p = pool[2];
            s.append("  def ").append(poolMethod(k, st, p)).append("(self: __torch__.").append(CLASS_NAME)
                    .append(",\n")
                    .append("    x: Tensor) -> Tensor:\n")
                    .append("    at = torch.max_pool2d_with_indices(x.detach().contiguous(memory_format=2), [")
                    .append(k).append(", ").append(k).append("], [").append(st).append(", ").append(st).append("], [")
                    .append(p).append(", ").append(p).append("], [1, 1], False)[1].contiguous()\n")
                    .append("    return torch.gather(x.flatten(2), 2, at.flatten(2)).view_as(at)\n");
        }
        s.append("  def ").append(CHANNELS_LAST_METHOD).append("(self: __torch__.").append(CLASS_NAME).append(",\n")
                .append("    x: Tensor) -> Tensor:\n")
                .append("    return x.contiguous(memory_format=2)\n");
        s.append("  def ").append(HOLDS_CHANNELS_LAST_METHOD).append("(self: __torch__.").append(CLASS_NAME)
                .append(",\n")
                .append("    x: Tensor) -> Tensor:\n")
                .append("    return torch.tensor(x.dim() == 4 and x.size(1) > 1 and x.size(2) * x.size(3) > 1")
                .append(" and x.stride(1) == 1)\n");
        for (int p = 1; p <= MAX_PAD; p++) {
            s.append("  def ").append(reflectionMethod(p)).append("(self: __torch__.").append(CLASS_NAME)
                    .append(",\n")
                    .append("    x: Tensor) -> Tensor:\n")
                    .append("    return torch.reflection_pad2d(x, [").append(p).append(", ").append(p).append(", ")
                    .append(p).append(", ").append(p).append("])\n");
        }
        return s.toString();
    }

    /**
     * @return the windows, strides and paddings the module has pooling methods for: square windows of
     *         2 to {@link #MAX_POOL_WINDOW}, stride 1 or the window, padding 0 or 1 and at most half the
     *         window (libtorch's limit)
     */
    private static List<int[]> pools() {
        List<int[]> pools = new ArrayList<>();
        for (int k = 2; k <= MAX_POOL_WINDOW; k++) {
            for (int stride : new int[] {1, k}) {
                for (int pad = 0; pad <= 1; pad++) {
                    pools.add(new int[] {k, stride, pad});
                }
            }
        }
        return pools;
    }

    /** @return the name of the pooling method for this window, stride and padding */
    private static String poolMethod(int kernel, int stride, int pad) {
        return "max_pool_k" + kernel + "_s" + stride + "_p" + pad;
    }

    /** @return the name of the method that pads by {@code pad} */
    private static String reflectionMethod(int pad) {
        return "reflection_pad_" + pad;
    }

    /** @return the array that names one of the module's methods in DJL's call (see {@link Loaded}) */
    private static NDArray marker(NDManager manager, String method) {
        NDArray marker = manager.create(0f);
        marker.setName("module_method:" + method);
        return marker;
    }

    /**
     * Builds and loads the module, once per JVM. The module and its markers live as long as the
     * engine (a few hundred bytes of native memory), in a manager of their own that is never closed.
     */
    private static Loaded load() {
        Engines.engine();
        NDManager manager = NDManager.newBaseManager();
        try {
            byte[] archive = TorchScriptArchive.write(ARCHIVE, CLASS_NAME, source());
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive),
                    true, false);
            List<String> methods = new ArrayList<>(List.of(ADAM_METHOD, REQUIRES_GRAD_METHOD, CHANNELS_LAST_METHOD,
                    HOLDS_CHANNELS_LAST_METHOD));
            for (int p = 1; p <= MAX_PAD; p++) {
                methods.add(reflectionMethod(p));
            }
            for (int[] pool : pools()) {
                methods.add(poolMethod(pool[0], pool[1], pool[2]));
            }
            Map<String, NDArray> namedMarkers = new HashMap<>();
            for (String method : methods) {
                namedMarkers.put(method, marker(manager, method));
            }
            return new Loaded(module, namedMarkers, null);
        } catch (IOException | RuntimeException e) {
            manager.close();
            String problem = "libtorch did not load the TorchScript helper (" + e.getMessage()
                    + "); reflection padding is built from DJL's operations, Adam updates one parameter at"
                    + " a time, training max-pools with libtorch's NCHW kernel and the IE-Net trains in the NCHW"
                    + " layout instead (same values to rounding, slower)";
            Engines.laterNote(problem);
            return new Loaded(null, Map.of(), problem);
        }
    }
}
