package org.utad.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive in memory, for a module with no parameters whose source is a string:
 * what {@link ScriptedOps} hands to libtorch, so that no binary file and no Python are needed. Kept
 * apart from the operations because it is about the file format only.
 */
final class TorchScriptArchive {
    /**
     * The archive's file format version: 3, what PyTorch 1.13's {@code torch.jit.save} writes for a
     * module of this kind, and libtorch 2.7.1 loads it.
     */
    private static final String FORMAT_VERSION = "3";

    private TorchScriptArchive() {
    }

    /**
     * The module object as TorchScript's unpickler reads it (pickle protocol 2): an instance of the
     * class built with no arguments, whose one attribute {@code training} is true.
     */
    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80); // PROTO
        b.write(2);
        writeAscii(b, "c__torch__\n" + className + "\n"); // GLOBAL module and class
        b.write(')'); // EMPTY_TUPLE: no constructor arguments
        b.write(0x81); // NEWOBJ
        b.write('}'); // EMPTY_DICT: the attributes
        writeUnicode(b, "training");
        b.write(0x88); // NEWTRUE
        b.write('s'); // SETITEM
        b.write('b'); // BUILD: set the attributes on the object
        b.write('.'); // STOP
        return b.toByteArray();
    }

    /** The archive's constant table, empty: a pickled empty tuple. */
    private static byte[] emptyConstants() {
        return new byte[] {(byte) 0x80, 2, ')', '.'};
    }

    private static void writeUnicode(ByteArrayOutputStream b, String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        b.write('X'); // BINUNICODE, a 4-byte little-endian length, then the UTF-8 bytes
        for (int i = 0; i < 4; i++) {
            b.write(text.length >>> (8 * i));
        }
        b.write(text, 0, text.length);
    }

    private static void writeAscii(ByteArrayOutputStream b, String s) {
        byte[] text = s.getBytes(StandardCharsets.US_ASCII);
        b.write(text, 0, text.length);
    }

    /**
     * The TorchScript archive of a module without parameters: uncompressed zip entries under one top
     * folder, as {@code torch.jit.save} writes them.
     *
     * @param archive   the top folder, which libtorch takes as the module's name
     * @param className the module's class, in TorchScript's {@code __torch__} namespace
     * @param source    the class's TorchScript source, as the archive stores it
     * @return the archive's bytes
     */
    static byte[] write(String archive, String className, String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, archive + "/data.pkl", modulePickle(className));
            stored(zip, archive + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, archive + "/constants.pkl", emptyConstants());
            stored(zip, archive + "/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
