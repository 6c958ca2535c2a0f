/**
 * Room "model": the neural networks of UTAD as DJL blocks - the IE-Net (impression extractor), the
 * MUNIT-style Expert-Net generator, the multi-scale LSGAN discriminator, and the small layers DJL
 * lacks (nearest up-sampling, reflection padding, instance, layer and adaptive instance norm).
 *
 * <p>Allowed imports: {@code ai.djl, org.utad.config, org.utad.core, org.utad.engine}; engine only for
 * {@code AlignedConvolution}, the one workaround of an engine fault that the layers must apply.
 * Tensors are NCHW float32. Blocks here know nothing about training schedules, losses or files;
 * they only define shapes, parameters and forward passes, so that one {@code saveParameters} of a
 * top-level block stores everything it needs.
 */
package org.utad.model;
