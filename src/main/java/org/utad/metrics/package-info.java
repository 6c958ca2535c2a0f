/**
 * Room "metrics": the evaluation metrics of the benchmark protocol - image and pixel AUROC, AUPRO
 * (per-region overlap up to a false positive rate limit, as in MVTec AD's evaluation) and image
 * F1 - and the accumulator that turns per-image results into an overall report and one report
 * per defect type, as CSV or JSON text.
 *
 * <p>Allowed imports: {@code org.utad.core}, so that the benchmark harness and the tests can
 * evaluate results without ImageJ, SciJava, DJL or Gson. All metrics are exact (computed by sorting, with ties
 * handled as one step), take a label of true to mean anomalous, and reject NaN scores.
 */
package org.utad.metrics;
