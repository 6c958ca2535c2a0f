package org.utad.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import org.utad.core.UtadException;

/**
 * The one place that starts DJL's PyTorch engine and picks the device.
 *
 * <p>DJL reads its offline switch when its classes first load, and otherwise probes the network at
 * start-up; {@link #offline()} must therefore run before any other DJL call, which is why every
 * entry point (CLI, commands, tests) goes through this class. Native-library failures are turned
 * into a {@link UtadException} that says what to check.
 */
public final class Engines {
    /** DJL's name of the engine this plugin runs on. */
    public static final String ENGINE_NAME = "PyTorch";

    private Engines() {
    }

    /**
     * Puts DJL in offline mode unless the user explicitly allowed downloads (system property
     * {@code ai.djl.offline=false}, used only for the opt-in CUDA download route). Idempotent.
     */
    public static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /**
     * Starts the engine (once per JVM; DJL caches it) and returns it.
     *
     * @return the PyTorch engine
     * @throws UtadException if the native library cannot be loaded, with what to do
     */
    public static Engine engine() {
        offline();
        try {
            return Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new UtadException("The PyTorch engine could not start: " + e.getMessage()
                    + ". Check that the pytorch-native jar for your platform is in Fiji's jars/ folder, or set"
                    + " PYTORCH_LIBRARY_PATH to a libtorch " + "matching PyTorch 2.7.1.", e);
        }
    }

    /**
     * Resolves the user's device choice against what the engine can use.
     *
     * @param choice auto, cpu or gpu
     * @return the device to run on
     * @throws UtadException if a GPU was demanded and none is usable
     */
    public static Device device(DeviceChoice choice) {
        Engine engine = engine();
        int gpus = engine.getGpuCount();
        switch (choice) {
            case CPU:
                return Device.cpu();
            case GPU:
                if (gpus == 0) {
                    throw new UtadException("A GPU was requested but DJL sees no usable CUDA GPU (the CPU "
                            + "natives are loaded). Choose device 'auto' or 'cpu', or install CUDA natives"
                            + " as the README explains.");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** @return a one-line description of the engine, for logs and summaries */
    public static String describe() {
        Engine engine = engine();
        return "DJL " + Engine.getDjlVersion() + ", " + engine.getEngineName() + " " + engine.getVersion()
                + ", GPUs: " + engine.getGpuCount();
    }
}
