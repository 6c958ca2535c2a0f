package org.utad.engine;

import ai.djl.Device;
import org.utad.core.UtadException;

/**
 * The device a job runs on, what the user asked for and why this device was chosen.
 *
 * <p>DJL falls back to the CPU silently; this record makes the choice visible. {@link #line()} is the
 * one line every summary and log should carry, e.g. {@code "device: gpu 0 (asked auto; 1 usable
 * CUDA GPU)"} or {@code "device: cpu (asked auto; no usable GPU: An NVIDIA driver is installed
 * ...)"}.
 *
 * @param requested what the user asked for
 * @param device    the device chosen
 * @param reason    why, in words for the user
 */
public record DeviceReport(DeviceChoice requested, Device device, String reason) {

    /**
     * Resolves a device choice against a GPU status.
     *
     * <p>auto: the first GPU if one is usable, else the CPU (saying why not the GPU); cpu: the CPU;
     * gpu: the first GPU, or a {@link UtadException} with the reason and what to do.
     *
     * @param choice what the user asked for
     * @param status what the probe found
     * @return the report
     * @throws UtadException if a GPU was demanded and none is usable
     */
    public static DeviceReport resolve(DeviceChoice choice, GpuStatus status) {
        String gpus = status.usableGpus() + " usable CUDA GPU" + (status.usableGpus() == 1 ? "" : "s");
        switch (choice) {
            case CPU:
                return new DeviceReport(choice, Device.cpu(), "the CPU was requested"
                        + (status.usable() ? " (" + gpus + " left unused)" : ""));
            case GPU:
                if (!status.usable()) {
                    throw new UtadException("A GPU was requested but none can be used. "
                            + (status.problem() != null ? status.problem()
                            : "No NVIDIA GPU was found on this computer.")
                            + " Or choose device 'auto' or 'cpu' to run on the CPU.");
                }
                return new DeviceReport(choice, Device.gpu(0), gpus);
            default:
                if (status.usable()) {
                    return new DeviceReport(choice, Device.gpu(0), gpus);
                }
                return new DeviceReport(choice, Device.cpu(), status.problem() == null ? "no GPU found"
                        : "no usable GPU: " + status.problem());
        }
    }

    /** @return whether the chosen device is a GPU */
    public boolean gpu() {
        return device.isGpu();
    }

    /** @return "device: &lt;label&gt; (asked &lt;choice&gt;; &lt;reason&gt;)", on one line */
    public String line() {
        return "device: " + Engines.label(device) + " (asked " + requested + "; " + reason.replace('\n', ' ') + ")";
    }

    /** @return {@link #line()} */
    @Override
    public String toString() {
        return line();
    }
}
