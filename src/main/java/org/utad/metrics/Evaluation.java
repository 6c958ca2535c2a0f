package org.utad.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of {@link MetricsAccumulator#evaluate()}: the report over all test images and one per
 * defect type, each defect type evaluated together with all good images as MVTec AD does.
 *
 * @param overall      the report over all test images, named "all"
 * @param byDefectType one report per defect type, ordered by name
 */
public record Evaluation(EvaluationReport overall, SortedMap<String, EvaluationReport> byDefectType) {

    /**
     * Makes an evaluation; the map is copied and made unmodifiable.
     *
     * @param overall      the report over all test images
     * @param byDefectType one report per defect type
     */
    public Evaluation {
        byDefectType = Collections.unmodifiableSortedMap(new TreeMap<>(byDefectType));
    }

    /**
     * The reports as a CSV table: a header, the overall row, then one row per defect type.
     *
     * @return the CSV text, lines ending in '\n'
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(EvaluationReport.csvHeader()).append('\n');
        sb.append(overall.toCsvRow()).append('\n');
        for (EvaluationReport r : byDefectType.values()) {
            sb.append(r.toCsvRow()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The reports as JSON: {@code {"overall": {...}, "byDefectType": {"type": {...}, ...}}}.
     *
     * @return the JSON text, ending in '\n'
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n  \"overall\": ").append(overall.toJson());
        sb.append(",\n  \"byDefectType\": {");
        boolean first = true;
        for (Map.Entry<String, EvaluationReport> e : byDefectType.entrySet()) {
            sb.append(first ? "\n    " : ",\n    ").append(Text.json(e.getKey())).append(": ")
                    .append(e.getValue().toJson());
            first = false;
        }
        return sb.append(first ? "}\n}\n" : "\n  }\n}\n").toString();
    }
}
