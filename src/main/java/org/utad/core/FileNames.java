package org.utad.core;

/**
 * Names derived from file names, spelled once for every room that names outputs after their inputs
 * (heatmap files, result-table labels, image titles), so that a file's outputs and its row carry the
 * same name whichever front end made them.
 */
public final class FileNames {
    private FileNames() {
    }

    /**
     * The name without its extension: everything before the last dot, unless that dot leads the name
     * (a hidden file such as ".png" keeps its whole name).
     *
     * @param fileName a file name, without folders
     * @return the stem
     */
    public static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
