/**
 * Room "spark": batch detection as an Apache Spark job, a front end like {@code cli} that runs the
 * facade's per-file detection step ({@code api.BatchDetection#detectFile}) on the executors of a
 * cluster and joins the tasks' tables into the one {@code scores.csv} a single run would write.
 *
 * <p>May import Spark and the rooms a front end may import: {@code api}, {@code cli} (its option
 * parser), {@code core}, {@code config}, {@code engine}, {@code infer}, {@code io} and the file
 * adapters of {@code imagej}. It is built as its own artifact ({@code spark/}), so neither the
 * Fiji plugin jar nor the Fiji install folder carries it or Spark.
 */
package org.utad.spark;
