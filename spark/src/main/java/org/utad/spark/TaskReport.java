package org.utad.spark;

import java.io.Serializable;

/**
 * What one finished task tells the driver: the counts of its images, which executor ran it, and
 * how often that executor has read the model so far (the job's proof that the model is read once
 * per executor, not once per image or task).
 *
 * @param partition  the task's partition
 * @param executor   the executor's id ("driver" in local mode)
 * @param files      input files the task processed
 * @param images     images detected (a stack counts each slice)
 * @param failed     files that failed
 * @param modelReads how many times this executor has read the model file, counting earlier tasks
 * @param threads    PyTorch's intra-op threads on the executor, on which a map's last float bits
 *                   depend (a single-machine run with as many reproduces the maps bit for bit)
 * @param seconds    the task's wall time
 */
public record TaskReport(int partition, String executor, int files, int images, int failed, int modelReads,
                         int threads, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;
}
