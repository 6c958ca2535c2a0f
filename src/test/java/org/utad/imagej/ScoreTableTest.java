package org.utad.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.measure.ResultsTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the detection table: each image is named once, in the Label column, and a folder's images
 * get the same names as the slices of a stack opened from that folder.
 */
class ScoreTableTest {
    @Test
    void theTableNamesEachImageOnceInTheLabelColumn() {
        ResultsTable rt = ScoreTable.of(List.of(new ScoreTable.Row("000.png", 0.25, "normal", 0),
                new ScoreTable.Row("001.png", 0.75, "anomalous", 2)));
        assertArrayEquals(new String[] {"Label", "score", "verdict", "regions"}, rt.getHeadings());
        assertEquals("001.png", rt.getLabel(1));
        assertEquals(0.75, rt.getValue("score", 1), 1e-9);
        assertEquals("anomalous", rt.getStringValue("verdict", 1));
    }

    @Test
    void aFolderImageIsLabelledByItsFileNameLikeAStackSlice() {
        assertEquals("000.png", ScoreTable.fileLabel("000.png", "000"));
        assertEquals("broken.tif", ScoreTable.fileLabel("broken.tif", ""));
        assertEquals("stack.tif (stack_s2)", ScoreTable.fileLabel("stack.tif", "stack_s2"));
        assertEquals("noext", ScoreTable.fileLabel("noext", "noext"));
    }
}
