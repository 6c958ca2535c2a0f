package org.utad.metrics;

/**
 * Number and string formatting for the CSV and JSON reports, written by hand because this room
 * imports no JSON library.
 */
final class Text {

    private Text() {
    }

    /**
     * @param value a number
     * @return its shortest round-trip decimal form, or "NaN" / "Infinity" for the CSV reader
     */
    static String csv(double value) {
        return Double.toString(value);
    }

    /**
     * @param value a text field
     * @return the field, quoted (with quotes doubled) when it holds a comma, quote or line break
     */
    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * @param value a number
     * @return its decimal form, or null when it is NaN or infinite, which JSON cannot express
     */
    static String json(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    /**
     * @param value a float number
     * @return its shortest decimal form as a float, or null when it is NaN or infinite
     */
    static String json(float value) {
        return Float.isFinite(value) ? Float.toString(value) : "null";
    }

    /**
     * @param value a text
     * @return the text as a quoted JSON string
     */
    static String json(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
