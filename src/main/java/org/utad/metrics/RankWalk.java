package org.utad.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The one pass behind every metric: walks the distinct scores of several sorted runs from the
 * highest down, counting the pixels (or images) at or above each score as predicted anomalous.
 *
 * <p>All samples with the same score are taken together, so a tie between a normal and an
 * anomalous sample is one diagonal step of the curves: AUROC then equals the Mann-Whitney U
 * statistic over P x N with ties counting 1/2, computed here in exact integer arithmetic.
 * Several runs are merged on the fly, which lets the good images' scores be stored once and
 * evaluated with each defect type in turn.
 */
final class RankWalk {

    private RankWalk() {
    }

    /**
     * Sorted scores of one group of samples.
     *
     * @param negatives    scores of normal samples, ascending
     * @param positives    scores of anomalous samples, ascending, when regions are not tracked
     *                     (else null)
     * @param positiveKeys {@link PixelScores#key(float, int)} keys of anomalous samples, ascending,
     *                     when regions are tracked (else null)
     * @param areas        areas of the regions indexed by the keys (null when not tracked)
     * @param regionCount  number of regions in {@code areas}
     */
    record Run(float[] negatives, float[] positives, long[] positiveKeys, int[] areas, int regionCount) {

        /** @return number of anomalous samples */
        int positiveCount() {
            return positiveKeys != null ? positiveKeys.length : positives.length;
        }

        /**
         * Makes a run from unsorted samples; the arrays are sorted in place.
         *
         * @param negatives scores of normal samples
         * @param positives scores of anomalous samples
         * @return the run
         */
        static Run of(float[] negatives, float[] positives) {
            Arrays.sort(negatives);
            Arrays.sort(positives);
            return new Run(negatives, positives, null, null, 0);
        }
    }

    /** Receives the cumulative counts after each distinct score. */
    interface Listener {
        /**
         * @param threshold the score; samples at or above it are predicted anomalous
         * @param tp        anomalous samples at or above the threshold
         * @param fp        normal samples at or above the threshold
         * @param pro       mean over regions of the fraction of the region at or above the
         *                  threshold, NaN when regions are not tracked
         */
        void step(float threshold, long tp, long fp, double pro);
    }

    /**
     * What one walk measured.
     *
     * @param positives anomalous samples
     * @param negatives normal samples
     * @param regions   ground-truth regions (0 when not tracked)
     * @param auroc     area under the ROC curve, NaN when a class is missing
     * @param aupro     area under the PRO curve up to the FPR limit divided by the limit, NaN when
     *                  there are no normal samples, no regions or no limit
     */
    record Result(long positives, long negatives, long regions, double auroc, double aupro) {
    }

    /**
     * Walks the runs.
     *
     * @param runs     sorted runs, merged as if they were one
     * @param maxFpr   the FPR limit of AUPRO in (0, 1], or NaN to skip AUPRO
     * @param listener receives every step, or null
     * @return the areas
     */
    static Result walk(List<Run> runs, double maxFpr, Listener listener) {
        int k = runs.size();
        float[][] neg = new float[k][];
        float[][] pos = new float[k][];
        long[][] keys = new long[k][];
        int[][] areas = new int[k][];
        int[] regionOffset = new int[k];
        int[] ni = new int[k];
        int[] pi = new int[k];
        long totalPos = 0;
        long totalNeg = 0;
        long regions = 0;
        for (int s = 0; s < k; s++) {
            Run run = runs.get(s);
            neg[s] = run.negatives();
            pos[s] = run.positives();
            keys[s] = run.positiveKeys();
            areas[s] = run.areas();
            ni[s] = neg[s].length - 1;
            pi[s] = run.positiveCount() - 1;
            totalNeg += neg[s].length;
            totalPos += run.positiveCount();
            regionOffset[s] = (int) regions;
            regions += run.regionCount();
        }
        boolean withPro = regions > 0;
        boolean aproWanted = withPro && totalNeg > 0 && !Double.isNaN(maxFpr);

        long tp = 0;
        long fp = 0;
        long twiceU = 0;
        double proSum = 0;
        double prevFpr = 0;
        double prevPro = 0;
        double area = 0;
        boolean aproDone = !aproWanted;
        while (true) {
            boolean any = false;
            float v = 0;
            for (int s = 0; s < k; s++) {
                if (ni[s] >= 0 && (!any || neg[s][ni[s]] > v)) {
                    v = neg[s][ni[s]];
                    any = true;
                }
                if (pi[s] >= 0) {
                    float p = keys[s] != null ? PixelScores.keyScore(keys[s][pi[s]]) : pos[s][pi[s]];
                    if (!any || p > v) {
                        v = p;
                        any = true;
                    }
                }
            }
            if (!any) {
                break;
            }
            long dn = 0;
            long dp = 0;
            for (int s = 0; s < k; s++) {
                float[] n = neg[s];
                int i = ni[s];
                while (i >= 0 && n[i] == v) {
                    i--;
                }
                dn += ni[s] - i;
                ni[s] = i;
                int j = pi[s];
                if (keys[s] != null) {
                    long[] ks = keys[s];
                    int[] a = areas[s];
                    while (j >= 0 && PixelScores.keyScore(ks[j]) == v) {
                        proSum += 1.0 / a[PixelScores.keyRegion(ks[j])];
                        j--;
                    }
                } else {
                    float[] p = pos[s];
                    while (j >= 0 && p[j] == v) {
                        j--;
                    }
                }
                dp += pi[s] - j;
                pi[s] = j;
            }
            twiceU += dn * (2 * tp + dp);
            tp += dp;
            fp += dn;
            double pro = withPro ? Math.min(1.0, proSum / regions) : Double.NaN;
            if (!aproDone) {
                double fpr = (double) fp / totalNeg;
                if (fpr < maxFpr) {
                    area += (fpr - prevFpr) * (prevPro + pro) / 2;
                } else {
                    double proAtLimit = fpr == maxFpr ? pro
                            : prevPro + (pro - prevPro) * (maxFpr - prevFpr) / (fpr - prevFpr);
                    area += (maxFpr - prevFpr) * (prevPro + proAtLimit) / 2;
                    aproDone = true;
                }
                prevFpr = fpr;
                prevPro = pro;
            }
            if (listener != null) {
                listener.step(v, tp, fp, pro);
            }
        }
        double auroc = totalPos > 0 && totalNeg > 0
                ? twiceU / (2.0 * totalPos * totalNeg) : Double.NaN;
        double aupro = aproWanted ? area / maxFpr : Double.NaN;
        return new Result(totalPos, totalNeg, regions, auroc, aupro);
    }
}
