/**
 * Room "bench": the developer benchmarks of docs/BENCHMARKS.md behind their own entry point,
 * {@link org.utad.bench.BenchMain}: quality against the baselines, training and detection speed,
 * the speed comparison with plain PyTorch and its operation counts, and the detection ablations.
 *
 * <p>Allowed imports: {@code ai.djl, com.google.gson, org.utad.api, org.utad.cli, org.utad.config,
 * org.utad.core, org.utad.data, org.utad.engine, org.utad.imagej, org.utad.infer, org.utad.metrics,
 * org.utad.model, org.utad.train}: the facade and the ImageJ adapters like the user's command line,
 * whose option parsing, progress and exit codes it shares; and, unlike any other front end, the
 * networks and the trainer, which the benchmarks drive directly so that they time exactly the work
 * training and detection do; DJL for the PyTorch peer's tensors and JSON for its answers. Never
 * the commands, nor ImageJ or SciJava themselves.
 */
package org.utad.bench;
