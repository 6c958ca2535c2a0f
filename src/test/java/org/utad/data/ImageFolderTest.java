package org.utad.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.core.FloatImage;
import org.utad.core.ImageLoader;
import org.utad.core.InvalidInputException;

class ImageFolderTest {
    @TempDir
    Path dir;

    private final List<Path> loaded = new ArrayList<>();

    /** Reads files whose content is "img" (one image) or "stackN" (N images); anything else is bad. */
    private final ImageLoader fake = file -> {
        loaded.add(file);
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String stem = file.getFileName().toString();
        if (content.equals("img")) {
            return List.of(new FloatImage(2, 2, 1, new float[4], 8, stem, null));
        }
        if (content.startsWith("stack")) {
            int n = Integer.parseInt(content.substring(5));
            List<FloatImage> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new FloatImage(2, 2, 1, new float[4], 16, stem + "_s" + (i + 1), null));
            }
            return out;
        }
        throw new InvalidInputException("Cannot read image file " + file + ": corrupt");
    };

    private void put(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void readsImagesInNameOrderAndReportsSkippedFiles() throws IOException {
        put("b.png", "img");
        put("a.tif", "stack3");
        put("d.JPEG", "img");
        put("c.bmp", "garbage");
        put("notes.txt", "hello");
        put(".hidden.png", "img");
        put("sub/inner.png", "img");

        FolderReadResult result = ImageFolder.read(dir, fake, false);

        List<String> names = new ArrayList<>();
        result.images().forEach(i -> names.add(i.name()));
        assertEquals(List.of("a.tif_s1", "a.tif_s2", "a.tif_s3", "b.png", "d.JPEG"), names);
        assertEquals(2, result.skipped().size());
        assertEquals("c.bmp (unreadable: Cannot read image file " + dir.resolve("c.bmp") + ": corrupt)",
                result.skipped().get(0));
        assertEquals("notes.txt (not an image)", result.skipped().get(1));
        assertEquals(4, loaded.size(), "hidden files, subfolders and non-images must not reach the loader");
        assertEquals("Read 5 images from " + dir + "; skipped 2: " + result.skipped().get(0) + ", notes.txt (not an image)",
                result.summary());
    }

    @Test
    void summaryWithoutSkippedFilesIsShort() throws IOException {
        put("only.png", "img");
        FolderReadResult result = ImageFolder.read(dir, fake, true);
        assertEquals("Read 1 image from " + dir + ".", result.summary());
        assertTrue(result.skipped().isEmpty());
    }

    @Test
    void failOnBadFileStopsAtTheFirstUnreadableImage() throws IOException {
        put("a.png", "img");
        put("b.tif", "bad");
        put("c.tif", "worse");
        put("readme.md", "not an image, never fatal");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFolder.read(dir, fake, true));
        assertTrue(e.getMessage().contains("b.tif") && !e.getMessage().contains("c.tif"), e.getMessage());
    }

    @Test
    void missingFolderFileAndImagelessFolderAreRejectedClearly() throws IOException {
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> ImageFolder.read(dir.resolve("absent"), fake, false));
        assertTrue(missing.getMessage().contains("absent") && missing.getMessage().contains("does not exist"),
                missing.getMessage());

        put("file.png", "img");
        InvalidInputException notFolder = assertThrows(InvalidInputException.class,
                () -> ImageFolder.read(dir.resolve("file.png"), fake, false));
        assertTrue(notFolder.getMessage().contains("not a folder"), notFolder.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> ImageFolder.read(empty, fake, false));
        assertTrue(none.getMessage().contains("No readable images") && none.getMessage().contains("no files"),
                none.getMessage());

        Path junk = Files.createDirectory(dir.resolve("junk"));
        Files.writeString(junk.resolve("a.csv"), "1,2");
        Files.writeString(junk.resolve("b.png"), "broken");
        InvalidInputException onlyBad = assertThrows(InvalidInputException.class,
                () -> ImageFolder.read(junk, fake, false));
        assertTrue(onlyBad.getMessage().contains("a.csv (not an image)")
                && onlyBad.getMessage().contains("b.png (unreadable"), onlyBad.getMessage());
    }

    @Test
    void imageExtensionsAreRecognisedInAnyCase() {
        assertTrue(ImageFolder.isImageName("x.TiF") && ImageFolder.isImageName("x.jpeg")
                && ImageFolder.isImageName("x.BMP"));
        assertTrue(!ImageFolder.isImageName("x.gif") && !ImageFolder.isImageName("png"));
    }
}
