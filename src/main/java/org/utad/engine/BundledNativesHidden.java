package org.utad.engine;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A class loader that sees everything its parent sees except the bundled PyTorch natives' descriptor
 * ({@value #DESCRIPTOR}).
 *
 * <p>DJL 0.36.0 prefers a native jar on the classpath over any flavour override: with the CPU jar
 * present, PYTORCH_FLAVOR is ignored and no CUDA build is ever fetched. DJL looks for native jars
 * through the thread's context class loader, so starting the engine with this loader as the context
 * loader makes DJL take its download-or-cache path, which honours PYTORCH_FLAVOR. Classes and all
 * other resources come from the parent unchanged.
 */
final class BundledNativesHidden extends ClassLoader {
    /** The resource by which DJL recognises a bundled PyTorch native jar. */
    static final String DESCRIPTOR = "native/lib/pytorch.properties";

    static {
        registerAsParallelCapable();
    }

    /**
     * @param parent the loader to delegate to (the current context loader)
     */
    BundledNativesHidden(ClassLoader parent) {
        super(parent);
    }

    /** @return the parent's resource, or null for the bundled natives' descriptor */
    @Override
    public URL getResource(String name) {
        return DESCRIPTOR.equals(strip(name)) ? null : super.getResource(name);
    }

    /** @return the parent's resources, or none for the bundled natives' descriptor */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return DESCRIPTOR.equals(strip(name)) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    private static String strip(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
