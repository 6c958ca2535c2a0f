package org.utad.infer;

/** Which anomaly map to compute. */
public enum Method {
    /** The full two-stage UTAD fusion of DESIGN section 2. */
    UTAD,
    /** The one-stage baseline: the residual of the input against its IE-Net impression only. */
    BASELINE
}
