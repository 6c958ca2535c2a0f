package org.utad.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The facts of the engine running in this JVM, fixed once it started and published once by
 * {@link Engines}: the engine, how its natives were found, the preference it started with and what
 * happened on the way. The two facts that cost time to find, the GPU probe and the numerics self-check,
 * are found at their first use and then fixed too, so every report quotes the same result.
 */
final class StartedEngine {
    /** Rounds of the start-up numerics check (5 problems each, in two forms). */
    private static final int NUMERICS_ROUNDS = 4;

    private final Engine engine;
    private final String route;
    private final NativeLibraries.Preparation preparation;
    private final List<String> notes;
    private final Once<GpuFacts> gpu;
    private final Once<NumericsCheck> numerics;

    /**
     * What the GPU probe found.
     *
     * @param status          the GPUs the engine can use, or why a present one cannot be used
     * @param cudaRuntimeGpus the GPUs the CUDA runtime sees (0 without one), which may differ from the
     *                        engine's count when the natives are the CPU build
     */
    record GpuFacts(GpuStatus status, int cudaRuntimeGpus) {
    }

    /**
     * @param engine      the started engine
     * @param route       how its natives were found, in words
     * @param preparation the preference it started with
     * @param notes       what happened before and during the start worth telling
     */
    StartedEngine(Engine engine, String route, NativeLibraries.Preparation preparation, List<String> notes) {
        this.engine = engine;
        this.route = route;
        this.preparation = preparation;
        this.notes = List.copyOf(notes);
        this.gpu = new Once<>(this::probeGpus);
        this.numerics = new Once<>(this::checkNumerics);
    }

    /** @return the started engine */
    Engine engine() {
        return engine;
    }

    /** @return how the natives were found, in words */
    String route() {
        return route;
    }

    /** @return the preference read when the engine was prepared */
    EnginePreference preference() {
        return preparation.preference();
    }

    /** @return the preference file read then */
    Path preferenceFile() {
        return preparation.file();
    }

    /** @return the notes of the preparation and the start, in the order they arose */
    List<String> notes() {
        return notes;
    }

    /** @return the GPU probe's result, found at the first call */
    GpuFacts gpu() {
        return gpu.get();
    }

    /** @return the numerics self-check's result, run on the CPU at the first call */
    NumericsCheck numerics() {
        return numerics.get();
    }

    private GpuFacts probeGpus() {
        int gpus = engine.getGpuCount();
        int runtimeGpus = cudaRuntimeGpus();
        GpuHostFacts facts = GpuHostFacts.collect(gpus, runtimeGpus, nativesDir(),
                Utils.getEnvOrSystemProperty(EnginePreference.PYTORCH_LIBRARY_PATH));
        return new GpuFacts(new GpuStatus(gpus, facts.unusableReason()), runtimeGpus);
    }

    private NumericsCheck checkNumerics() {
        boolean recording = JniUtils.isGradMode();
        try {
            return NumericsCheck.run(NumericsCheck.ENGINE, NUMERICS_ROUNDS);
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** @return the folder the natives were loaded from, or null if DJL does not say */
    static Path nativesDir() {
        try {
            return Paths.get(LibUtils.getLibtorchPath());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int cudaRuntimeGpus() {
        try {
            return CudaUtils.getGpuCount();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return 0;
        }
    }
}
