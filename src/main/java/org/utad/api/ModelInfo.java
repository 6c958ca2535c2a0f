package org.utad.api;

import java.nio.file.Path;
import java.util.Locale;
import org.utad.config.Thresholds;
import org.utad.config.UtadConfig;
import org.utad.io.Manifest;

/**
 * A readable description of a model file, for the Model Info command and the CLI's {@code info}:
 * what the model takes, how it was trained, and how its thresholds were set.
 */
public final class ModelInfo {
    private ModelInfo() {
    }

    /**
     * Describes a model.
     *
     * @param file the model file
     * @param m    its manifest
     * @return several lines of text
     */
    public static String describe(Path file, Manifest m) {
        UtadConfig c = m.config();
        StringBuilder sb = new StringBuilder();
        sb.append("Model: ").append(file).append('\n');
        sb.append("Format version ").append(m.formatVersion()).append(", written ").append(m.created())
                .append(" by DJL ").append(m.djlVersion()).append(" / PyTorch ").append(m.engineVersion()).append('\n');
        sb.append("Preset: ").append(c.preset()).append(", input ").append(c.imageSize()).append(" px, mode ")
                .append(c.mode().name().toLowerCase(Locale.ROOT)).append(", ")
                .append(m.channels() == 1 ? "grey" : m.channels() + " channels").append('\n');
        sb.append(String.format(Locale.ROOT, "Normalisation: %s, %.6g -> 0, %.6g -> 1%n", m.normalization().kind(),
                m.normalization().low(), m.normalization().high()));
        sb.append("IE-Net filters ").append(c.ieNet().filters()).append("; Expert-Net dim ").append(c.expertNet().dim())
                .append(", detail code ").append(c.expertNet().detailDim()).append('\n');
        sb.append("Training: stage 1 ").append(c.stage1().iterations()).append(" iterations, stage 2 ")
                .append(c.stage2().iterations()).append(" iterations, seed ").append(c.seed()).append('\n');
        m.stageSeconds().ifPresent(seconds -> sb.append(String.format(Locale.ROOT,
                "Trained on %d images (%d held out) on %s in %.0f s + %.0f s%n",
                m.training().get("images").getAsInt(), m.training().get("validation_images").getAsInt(),
                m.training().get("device").getAsString(), seconds.stage1(), seconds.stage2())));
        sb.append("Detection: ").append(c.detect().randomCodes()).append(" random detail codes, ")
                .append(c.detect().residual().name().toLowerCase(Locale.ROOT)).append(" residual, smoothing sigma ")
                .append(c.detect().smoothingSigma()).append('\n');
        Thresholds t = m.thresholds();
        if (t == null) {
            sb.append("Thresholds: not calibrated (verdicts and masks unavailable)");
        } else {
            sb.append(String.format(Locale.ROOT, "Thresholds: image %.5g, pixel %.5g at quantile %.3f of %s",
                    t.imageThreshold(), t.pixelThreshold(), t.quantile(), t.source()));
        }
        return sb.toString();
    }
}
