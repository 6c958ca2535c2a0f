package org.utad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.utad.core.FloatImage;
import org.utad.core.InvalidInputException;

/** The overall and per-defect-type reports agree with the single metrics on the same images. */
class MetricsAccumulatorTest {
    private static final int W = 16;
    private static final int H = 12;
    private static final String ODD = "scratch, \"deep\"";

    /** One test image as the harness would give it. */
    private record Image(String type, float score, float[] map, boolean[] mask, boolean anomalous) {
    }

    private static List<Image> dataset() {
        Random random = new Random(99);
        List<Image> images = new ArrayList<>();
        String[] types = {"good", "good", "crack", "good", ODD, "stain", "good", "crack", "stain", "crack",
            "good", ODD, "good"};
        for (String type : types) {
            boolean anomalous = !type.equals("good");
            boolean[] mask = anomalous && !type.equals("stain") ? AuproTest.randomBlobs(random, W, H, 2) : null;
            float[] map = new float[W * H];
            for (int i = 0; i < map.length; i++) {
                map[i] = random.nextInt(20) + (mask != null && mask[i] ? 8 : 0);
            }
            float score = random.nextInt(10) + (anomalous ? 4 : 0);
            images.add(new Image(type, score, map, mask, anomalous));
        }
        return images;
    }

    @Test
    void reportsMatchTheSingleMetrics() {
        List<Image> data = dataset();
        MetricsAccumulator acc = new MetricsAccumulator(8f, 0.3);
        for (Image im : data) {
            if (im == data.get(5)) {
                acc.add(im.type(), im.score(), im.anomalous());
            } else {
                acc.add(im.type(), im.score(), FloatImage.of(W, H, 1, im.map()), im.mask(), im.anomalous());
            }
        }
        assertEquals(data.size(), acc.images());
        Evaluation ev = acc.evaluate();

        checkReport(ev.overall(), data, t -> true);
        assertEquals(MetricsAccumulator.OVERALL, ev.overall().name());
        assertEquals(List.of("crack", ODD, "stain"), new ArrayList<>(ev.byDefectType().keySet()));
        for (String type : ev.byDefectType().keySet()) {
            checkReport(ev.byDefectType().get(type), data, t -> t.equals(type) || t.equals("good"));
        }
        EvaluationReport stain = ev.byDefectType().get("stain");
        assertTrue(Double.isNaN(stain.pixelAuroc()));
        assertTrue(Double.isNaN(stain.aupro()));
        assertEquals(0, stain.anomalousPixels());
        assertEquals(6, stain.pixelImages(), "only the good images have usable maps");
        assertEquals(6 + 3 + 2, ev.overall().pixelImages());

        String csv = ev.toCsv();
        String[] lines = csv.split("\n");
        assertEquals(5, lines.length);
        assertEquals(EvaluationReport.csvHeader(), lines[0]);
        assertTrue(lines[1].startsWith("all,13,6,7,11,"), lines[1]);
        assertTrue(lines[3].startsWith("\"scratch, \"\"deep\"\"\",8,6,2,8,"), lines[3]);
        assertTrue(lines[4].contains(",NaN,NaN,0.3,"), lines[4]);
        assertEquals(20, lines[0].split(",").length);

        String json = ev.toJson();
        assertTrue(json.contains("\"overall\": {\"name\": \"all\", \"images\": 13,"), json);
        assertTrue(json.contains("\"scratch, \\\"deep\\\"\": {"), json);
        assertTrue(json.contains("\"pixelAuroc\": null, \"aupro\": null"), json);
        assertTrue(!json.contains("NaN"), json);
        assertEquals(json.chars().filter(c -> c == '{').count(), json.chars().filter(c -> c == '}').count());
    }

    /** Recomputes one report's metrics from the images its filter selects, with the single metrics. */
    private static void checkReport(EvaluationReport r, List<Image> data,
                                     java.util.function.Predicate<String> selects) {
        List<Image> chosen = data.stream().filter(im -> selects.test(im.type())).toList();
        float[] scores = new float[chosen.size()];
        boolean[] labels = new boolean[chosen.size()];
        PixelAurocAccumulator pixel = new PixelAurocAccumulator();
        Aupro aupro = new Aupro(0.3);
        for (int i = 0; i < chosen.size(); i++) {
            Image im = chosen.get(i);
            scores[i] = im.score();
            labels[i] = im.anomalous();
            if (!im.anomalous() || im.mask() != null) {
                pixel.add(im.map(), im.mask());
                aupro.add(im.map(), im.mask(), W, H);
            }
        }
        assertEquals(chosen.size(), r.images());
        assertEquals(Roc.auroc(scores, labels), r.imageAuroc(), 0.0, r.name());
        F1.Score best = F1.max(scores, labels);
        assertEquals(best.f1(), r.f1Max(), 0.0);
        assertEquals(best.threshold(), r.f1MaxThreshold());
        F1.Score at = F1.at(scores, labels, 8f);
        assertEquals(at.f1(), r.f1AtCalibrated(), 0.0);
        assertEquals(at.precision(), r.precisionAtCalibrated(), 0.0);
        assertEquals(at.recall(), r.recallAtCalibrated(), 0.0);
        assertEquals(8f, r.calibratedThreshold());
        assertEquals(pixel.normalPixels(), r.normalPixels());
        assertEquals(pixel.anomalousPixels(), r.anomalousPixels());
        if (pixel.anomalousPixels() > 0) {
            assertEquals(pixel.auroc(), r.pixelAuroc(), 0.0, r.name());
            assertEquals(aupro.aupro(), r.aupro(), 0.0, r.name());
            assertEquals(aupro.regions(), r.regions());
        }
    }

    @Test
    void withoutCalibratedThresholdOrAnomaliesValuesAreNaN() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add("good", 0.1f, false);
        acc.add("good", 0.2f, new float[] {0.1f, 0.2f}, null, 2, 1, false);
        EvaluationReport r = acc.evaluate().overall();
        assertTrue(Double.isNaN(r.imageAuroc()));
        assertTrue(Double.isNaN(r.f1Max()));
        assertTrue(Double.isNaN(r.f1AtCalibrated()));
        assertTrue(Double.isNaN(r.pixelAuroc()));
        assertEquals(2, r.normalPixels());
        assertTrue(acc.evaluate().byDefectType().isEmpty());
        assertTrue(acc.evaluate().toJson().contains("\"byDefectType\": {}"));
    }

    @Test
    void clearErrorsLeaveTheStateUnchanged() {
        MetricsAccumulator acc = new MetricsAccumulator();
        assertThrows(InvalidInputException.class, acc::evaluate);
        assertThrows(InvalidInputException.class, () -> acc.add("crack", Float.NaN, true));
        assertThrows(InvalidInputException.class, () -> acc.add(null, 1f, true));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> acc.add("good", 1f, new float[] {1, 2}, new boolean[] {false, true}, 2, 1, false));
        assertTrue(e.getMessage().contains("labelled good"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> acc.add("crack", 1f, new float[] {1, Float.NaN}, new boolean[] {false, true}, 2, 1, true));
        assertThrows(InvalidInputException.class,
                () -> acc.add("crack", 1f, new float[] {1, 2}, new boolean[] {false, true}, 3, 1, true));
        assertThrows(InvalidInputException.class, () -> new MetricsAccumulator(Float.NaN, 0));
        assertEquals(0, acc.images());
    }
    @Test
    void pixelCurvesAreThinnedButKeepTheAreaAndTheEnds() {
        List<Image> data = dataset();
        MetricsAccumulator acc = new MetricsAccumulator();
        for (Image im : data) {
            acc.add(im.type(), im.score(), FloatImage.of(W, H, 1, im.map()), im.mask(), im.anomalous());
        }
        Evaluation ev = acc.evaluate();
        PixelCurves fine = acc.pixelCurves(1_000_000);
        PixelCurves coarse = acc.pixelCurves(5);
        for (PixelCurves c : List.of(fine, coarse)) {
            assertEquals(0, c.fpr()[0]);
            assertEquals(0, c.tpr()[0]);
            assertEquals(0, c.pro()[0]);
            assertEquals(1, c.fpr()[c.size() - 1], 1e-12);
            assertEquals(1, c.tpr()[c.size() - 1], 1e-12);
            for (int i = 1; i < c.size(); i++) {
                assertTrue(c.fpr()[i] >= c.fpr()[i - 1] && c.tpr()[i] >= c.tpr()[i - 1] && c.pro()[i] >= c.pro()[i - 1],
                        "curves must be monotone at point " + i);
            }
        }
        double area = 0;
        for (int i = 1; i < fine.size(); i++) {
            area += (fine.fpr()[i] - fine.fpr()[i - 1]) * (fine.tpr()[i] + fine.tpr()[i - 1]) / 2;
        }
        assertEquals(ev.overall().pixelAuroc(), area, 1e-9, "the unthinned curve's area is the pixel AUROC");
        assertTrue(coarse.size() < fine.size(), coarse.size() + " points vs " + fine.size());
        assertTrue(coarse.size() <= 3 * 5 + 2, "resolution 5 keeps at most about 15 points, got " + coarse.size());
        for (int i = 1; i < coarse.size() - 1; i++) {
            double jump = Math.max(Math.max(coarse.fpr()[i] - coarse.fpr()[i - 1], coarse.tpr()[i] - coarse.tpr()[i - 1]),
                    coarse.pro()[i] - coarse.pro()[i - 1]);
            assertTrue(jump >= 0.2 - 1e-12, "point " + i + " is only " + jump + " from the previous one");
        }
        assertThrows(IllegalArgumentException.class, () -> acc.pixelCurves(0));
    }

    @Test
    void noPixelCurvesWithoutMaps() {
        MetricsAccumulator acc = new MetricsAccumulator();
        acc.add("good", 1f, false);
        acc.add("crack", 2f, true);
        assertEquals(null, acc.pixelCurves(100));
    }
}
