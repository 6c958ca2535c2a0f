package org.utad.engine;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns PyTorch's use of NNPACK off on processors NNPACK does not support, so that PyTorch does not
 * print {@code Could not initialize NNPACK! Reason: Unsupported hardware.} for every convolution.
 *
 * <p>Why: before each CPU convolution that oneDNN does not take, PyTorch asks whether NNPACK is
 * available, and on a processor NNPACK does not know (AMD Zen 5 here) every asking prints that line
 * to standard error. oneDNN leaves out convolutions of a single image with a small kernel and few
 * pixels: the lone last tile of an image (a 512 x 512 image makes 121 tiles of 64 px, batches of 8
 * and one of 1) or a resized image. A detection of the deeppcb test set printed 42 lines per image,
 * 13 730 in one quality benchmark. NNPACK is not used on such a processor anyway, and PyTorch offers
 * the switch only to Python ({@code torch.backends.nnpack}), DJL not at all.
 *
 * <p>How: after the engine has loaded libtorch, the same loaded copy of {@code libtorch_cpu.so} is
 * looked up (never loaded a second time), NNPACK's own {@code nnp_initialize} is asked whether this
 * processor is supported (it prints nothing), and only if it is not, PyTorch's global switch is set
 * ({@code at::globalContext().setUserEnabledNNPACK(false)}, two exported C++ functions called by
 * their linker names) and read back. Where anything is missing (another operating system, another
 * libtorch, a renamed symbol) nothing is changed and the engine diagnostics say so.
 */
final class Nnpack {
    /** The loaded CPU library of libtorch, which holds NNPACK and PyTorch's global context. */
    static final String LIBRARY = "libtorch_cpu.so";
    /** dlopen's flags: resolve lazily, and only find a library that is already loaded. */
    private static final int RTLD_LAZY_NOLOAD = 0x1 | 0x4;
    /** NNPACK's {@code nnp_status_success}. */
    private static final int SUCCESS = 0;
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_ENABLED = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private static final String IS_ENABLED = "_ZNK2at7Context17userEnabledNNPACKEv";

    private Nnpack() {
    }

    /**
     * Turns NNPACK off in the loaded libtorch when this processor does not support it.
     *
     * @param nativesDir the folder libtorch was loaded from, or null when DJL does not say
     * @return what was found and done, one line for the engine's diagnostics
     */
    static String quietOnUnsupportedCpu(Path nativesDir) {
        if (!Platform.isLinux()) {
            return "NNPACK: left to PyTorch (the switch is reached on Linux only)";
        }
        if (nativesDir == null || !Files.isRegularFile(nativesDir.resolve(LIBRARY))) {
            return "NNPACK: left to PyTorch (no " + LIBRARY + " of the loaded libtorch found)";
        }
        try {
            NativeLibrary torch = loaded(nativesDir);
            int status = initialise(torch);
            if (status == SUCCESS) {
                return "NNPACK: supported by this processor; left on";
            }
            torch.getFunction(SET_ENABLED).invokeVoid(new Object[] {context(torch), Boolean.FALSE});
            return !switchOn(torch) ? "NNPACK: not supported by this processor (status " + status + "); PyTorch's"
                    + " use of it turned off, so that it does not print a warning for every small convolution"
                    : "NNPACK: not supported by this processor (status " + status + "); turning it off failed,"
                    + " so PyTorch may print 'Could not initialize NNPACK' (harmless)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "NNPACK: left to PyTorch (" + e.getMessage() + ")";
        }
    }

    /**
     * Reads PyTorch's NNPACK switch and asks NNPACK (silently) whether it supports this processor,
     * for tests.
     *
     * @param nativesDir the folder libtorch was loaded from
     * @return {switch on, processor supported}, or null when either cannot be read
     */
    static boolean[] state(Path nativesDir) {
        try {
            NativeLibrary torch = loaded(nativesDir);
            return new boolean[] {switchOn(torch), initialise(torch) == SUCCESS};
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** The already loaded copy of libtorch's CPU library; fails rather than load a second one. */
    private static NativeLibrary loaded(Path nativesDir) {
        return NativeLibrary.getInstance(nativesDir.resolve(LIBRARY).toString(),
                Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY_NOLOAD));
    }

    /**
     * NNPACK's {@code nnp_initialize}: sets NNPACK up if this processor is supported (again is harmless)
     * and says whether it is, without printing anything.
     */
    private static int initialise(NativeLibrary torch) {
        return torch.getFunction("nnp_initialize").invokeInt(new Object[0]);
    }

    /** PyTorch's global context, {@code at::globalContext()}: a reference, which the ABI returns as a pointer. */
    private static Pointer context(NativeLibrary torch) {
        return torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    }

    /** {@code at::globalContext().userEnabledNNPACK()}; a C++ bool comes back in the low byte. */
    private static boolean switchOn(NativeLibrary torch) {
        return (torch.getFunction(IS_ENABLED).invokeInt(new Object[] {context(torch)}) & 0xFF) != 0;
    }
}
