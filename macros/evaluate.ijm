// UTAD for Fiji - evaluate a model on a labelled test set (MVTec AD layout).
//
// 'data' is a folder with test/<kind>/ images (test/good/ are the normal ones) and
// ground_truth/<kind>/<name>_mask.png defect masks, like test-data/texture. The evaluation writes
// image AUROC, pixel AUROC, AUPRO and F1 overall and per defect kind into 'output' (CSV and JSON).
//
// Run it from Plugins > Macros > Run..., or headless:
//   ImageJ -batch evaluate.ijm "model=/tmp/texture.utad;data=/path/test-data/texture;output=/tmp/eval"
// The argument is key=value pairs separated by ';' (asked for when missing):
//   model   the model file
//   data    the labelled folder
//   output  the folder for the reports

args = getArgument();
model = value(args, "model", "");
if (model == "")
    model = File.openDialog("Choose the UTAD model file");
data = value(args, "data", "");
if (data == "")
    data = getDirectory("Choose the labelled folder (with test/ and ground_truth/)");
output = value(args, "output", "");
if (output == "")
    output = getDirectory("Choose the output folder");

setBatchMode(true);
File.makeDirectory(output);

// "Evaluate UTAD (IJ1)" is the ImageJ 1.x twin of Plugins > UTAD > Evaluate; keys model, data,
// output (and optionally method=baseline, conversion=auto, device=cpu, overwrite).
run("Evaluate UTAD (IJ1)", "model=[" + model + "] data=[" + data + "] output=[" + output + "]");
print("Evaluation written to " + output);

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
