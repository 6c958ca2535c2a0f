// UTAD for Fiji - train a model on a stack of normal images, then try it on the stack.
//
// Opens normal images as one stack (a stack file, or every image of a folder as an image
// sequence), trains a UTAD model on it with the ImageJ 1.x command "Train UTAD (IJ1)", saves the
// loss curves, and runs "Detect UTAD (IJ1)" on the first slices to show the heatmap, the results
// table and the anomalous regions in the ROI Manager (which is added to, never cleared).
//
// Run it from Plugins > Macros > Run..., or headless:
//   ImageJ -batch train_on_stack.ijm "images=/path/test-data/texture/train/good;model=/tmp/texture.utad"
// The argument is key=value pairs separated by ';':
//   images      a stack file or a folder of images (asked for when missing)
//   model       the model file to write (asked for when missing)
//   output      folder for the loss plot and the check outputs (default: the model's folder)
//   slices      train on these slices only, e.g. 1-6 (default: all)
//   image_size, iterations1, iterations2, mode, preset, settings: as in docs/MACROS.md.
//   The defaults below train for a few minutes on a laptop; raise the iterations for real use.

args = getArgument();
images = value(args, "images", "");
if (images == "")
    images = getDirectory("Choose a folder of normal images (or cancel and pass images=...)");
model = value(args, "model", "");
if (model == "") {
    dir = getDirectory("Choose the folder to write the model to");
    model = dir + "model.utad";
}
output = value(args, "output", File.getParent(model));
slices = value(args, "slices", "");
imageSize = value(args, "image_size", "64");
it1 = value(args, "iterations1", "300");
it2 = value(args, "iterations2", "200");
mode = value(args, "mode", "patch");
preset = value(args, "preset", "fast");
settings = value(args, "settings", "");

setBatchMode(true);

// 1. Open the normal images as one stack.
if (File.isDirectory(images))
    run("Image Sequence...", "open=[" + images + "] sort");
else
    open(images);
if (slices != "")
    run("Make Substack...", "slices=" + slices);
stack = getTitle();
print("Training on " + nSlices + " slice(s) of " + stack);

// 2. Train. 'overwrite' replaces an earlier model of the same name.
run("Train UTAD (IJ1)", "images=[" + stack + "] model=[" + model + "] preset=" + preset
    + " image_size=" + imageSize + " iterations1=" + it1 + " iterations2=" + it2 + " mode=" + mode
    + " validation=0.25 device=auto seed=42 overwrite settings=[" + settings + "]");
if (!File.exists(model))
    exit("Training failed: see the Log window.");

// 3. The loss curves are the current image after training: keep them next to the model.
saveAs("PNG", output + File.separator + "losses.png");

// 4. Check the model on the first two slices of the stack, adding any anomalous regions to the
//    ROI Manager. A ROI of our own is there first to show that it survives.
selectImage(stack);
run("Make Substack...", "slices=1-" + minOf(2, nSlices));
probe = getTitle();
makeRectangle(0, 0, 4, 4);
roiManager("add");
roiManager("select", roiManager("count") - 1);
roiManager("rename", "my ROI");
run("Select None");
before = roiManager("count");
run("Detect UTAD (IJ1)", "image=[" + probe + "] model=[" + model + "] device=auto masks add_rois");
heatmap = getTitle();
print("UTAD-CHECK heatmap " + getWidth() + "x" + getHeight() + "x" + nSlices + " bitdepth=" + bitDepth());
saveAs("Tiff", output + File.separator + "check_heatmap.tif");
print("UTAD-CHECK rows=" + Table.size("UTAD Results"));
print("UTAD-CHECK rois before=" + before + " after=" + roiManager("count") + " first=" + RoiManager.getName(0));

// Reads key=value from a ';'-separated argument string.
function value(args, key, fallback) {
    parts = split(args, ";");
    for (i = 0; i < parts.length; i++) {
        eq = indexOf(parts[i], "=");
        if (eq > 0 && String.trim(substring(parts[i], 0, eq)) == key)
            return String.trim(substring(parts[i], eq + 1));
    }
    return fallback;
}
