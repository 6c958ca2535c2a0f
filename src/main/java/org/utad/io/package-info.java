/**
 * Room "io": the model bundle (manifest.json plus one .params per network), its format version and
 * its atomic writes.
 *
 * <p>May import core, config and ai.djl.
 */
package org.utad.io;
