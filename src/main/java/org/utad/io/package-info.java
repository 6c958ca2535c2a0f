/**
 * Room "io": the model bundle (manifest.json plus one .params per network), its format version and
 * its atomic writes.
 *
 * <p>Allowed imports: {@code ai.djl, com.google.gson, org.utad.config, org.utad.core}.
 */
package org.utad.io;
