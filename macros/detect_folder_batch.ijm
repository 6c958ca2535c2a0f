// UTAD for Fiji - detect anomalies in every sub-folder of a folder, in batch mode.
//
// For each sub-folder of 'data' (for example test-data/texture/test/good, .../scratch, ...), runs
// "Detect UTAD (IJ1)" on its images and writes, into output/<sub-folder>/, one 32-bit heatmap TIFF
// and (with a calibrated model) one mask PNG per image, plus scores.csv with each image's score,
// verdict and number of anomalous regions. Nothing is shown: batch mode keeps it fast and headless.
//
// Run it from Plugins > Macros > Run..., or headless:
//   ImageJ -batch detect_folder_batch.ijm "model=/tmp/texture.utad;data=/path/test-data/texture/test;output=/tmp/out"
// The argument is key=value pairs separated by ';' (folders are asked for when missing):
//   model   the model file (for the demo, train one with train_on_stack.ijm on texture/train/good)
//   data    the folder whose sub-folders hold the images
//   output  the folder for the results (created; existing results are replaced)
//   device  auto, cpu or gpu (default auto)

args = getArgument();
model = value(args, "model", "");
if (model == "")
    model = File.openDialog("Choose the UTAD model file");
data = value(args, "data", "");
if (data == "")
    data = getDirectory("Choose the folder whose sub-folders hold the images");
output = value(args, "output", "");
if (output == "")
    output = getDirectory("Choose the output folder");
device = value(args, "device", "auto");

setBatchMode(true);
File.makeDirectory(output);
list = getFileList(data);
done = 0;
for (i = 0; i < list.length; i++) {
    if (!endsWith(list[i], "/"))
        continue;
    name = substring(list[i], 0, lengthOf(list[i]) - 1);
    in = data + File.separator + name;
    out = output + File.separator + name;
    run("Detect UTAD (IJ1)", "folder=[" + in + "] output=[" + out + "] model=[" + model + "] device=" + device
        + " masks overwrite");
    print("UTAD-CHECK " + name + " rows=" + Table.size("UTAD Results"));
    done++;
}
print("Detected " + done + " folder(s); results in " + output);

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
