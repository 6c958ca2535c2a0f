package org.utad.metrics;

import java.util.List;

/**
 * The benchmark metrics of one evaluated set of test images: all of them, or one defect type
 * together with all good images. Values that cannot be computed on the set are NaN (for example
 * pixel metrics for a defect type without masks); the counts say why.
 *
 * @param name                  "all", or the defect type
 * @param images                test images evaluated
 * @param normalImages          good images among them
 * @param anomalousImages       defective images among them
 * @param pixelImages           images whose anomaly maps entered the pixel metrics (a map, and a
 *                              mask unless the image is good)
 * @param normalPixels          normal pixels in the pixel metrics
 * @param anomalousPixels       anomalous pixels in the pixel metrics
 * @param regions               8-connected ground-truth regions in the pixel metrics
 * @param imageAuroc            image score against "any defect"
 * @param pixelAuroc            anomaly map against the masks, over all pixels
 * @param aupro                 normalised area under the per-region overlap curve up to
 *                              {@code auproMaxFpr}
 * @param auproMaxFpr           the FPR limit of AUPRO
 * @param f1Max                 the best image F1 over all thresholds
 * @param f1MaxThreshold        the image-score threshold reaching it
 * @param f1MaxPrecision        precision at that threshold
 * @param f1MaxRecall           recall at that threshold
 * @param calibratedThreshold   the threshold the model calibrated on normal images alone, NaN if
 *                              none was given
 * @param f1AtCalibrated        image F1 at the calibrated threshold
 * @param precisionAtCalibrated precision at the calibrated threshold
 * @param recallAtCalibrated    recall at the calibrated threshold
 */
public record EvaluationReport(String name, int images, int normalImages, int anomalousImages,
                               int pixelImages, long normalPixels, long anomalousPixels, long regions,
                               double imageAuroc, double pixelAuroc, double aupro, double auproMaxFpr,
                               double f1Max, float f1MaxThreshold, double f1MaxPrecision,
                               double f1MaxRecall, float calibratedThreshold, double f1AtCalibrated,
                               double precisionAtCalibrated, double recallAtCalibrated) {

    private static final List<String> COLUMNS = List.of("name", "images", "normalImages",
            "anomalousImages", "pixelImages", "normalPixels", "anomalousPixels", "regions", "imageAuroc",
            "pixelAuroc", "aupro", "auproMaxFpr", "f1Max", "f1MaxThreshold", "f1MaxPrecision",
            "f1MaxRecall", "calibratedThreshold", "f1AtCalibrated", "precisionAtCalibrated",
            "recallAtCalibrated");

    /**
     * The CSV header matching {@link #toCsvRow()}, so reports of several runs can be concatenated
     * into one table.
     *
     * @return the column names, comma-separated, without a line break
     */
    public static String csvHeader() {
        return String.join(",", COLUMNS);
    }

    /**
     * One CSV row with the fields in declaration order; NaN is written as "NaN".
     *
     * @return the row, without a line break
     */
    public String toCsvRow() {
        return String.join(",", Text.csv(name), Integer.toString(images), Integer.toString(normalImages),
                Integer.toString(anomalousImages), Integer.toString(pixelImages), Long.toString(normalPixels),
                Long.toString(anomalousPixels), Long.toString(regions), Text.csv(imageAuroc),
                Text.csv(pixelAuroc), Text.csv(aupro), Text.csv(auproMaxFpr), Text.csv(f1Max),
                Float.toString(f1MaxThreshold), Text.csv(f1MaxPrecision), Text.csv(f1MaxRecall),
                Float.toString(calibratedThreshold), Text.csv(f1AtCalibrated),
                Text.csv(precisionAtCalibrated), Text.csv(recallAtCalibrated));
    }

    /**
     * This report as one JSON object with the fields as members; NaN and infinite values are
     * written as null, since JSON has no such numbers.
     *
     * @return the JSON text, on one line
     */
    public String toJson() {
        String[] values = {Text.json(name), Integer.toString(images), Integer.toString(normalImages),
                Integer.toString(anomalousImages), Integer.toString(pixelImages), Long.toString(normalPixels),
                Long.toString(anomalousPixels), Long.toString(regions), Text.json(imageAuroc),
                Text.json(pixelAuroc), Text.json(aupro), Text.json(auproMaxFpr), Text.json(f1Max),
                Text.json(f1MaxThreshold), Text.json(f1MaxPrecision), Text.json(f1MaxRecall),
                Text.json(calibratedThreshold), Text.json(f1AtCalibrated),
                Text.json(precisionAtCalibrated), Text.json(recallAtCalibrated)};
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Text.json(COLUMNS.get(i))).append(": ").append(values[i]);
        }
        return sb.append('}').toString();
    }
}
