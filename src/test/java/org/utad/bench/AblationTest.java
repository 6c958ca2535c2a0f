package org.utad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.utad.config.Presets;
import org.utad.config.Residual;
import org.utad.data.DefectDataset;
import org.utad.infer.DetectOptions;
import org.utad.infer.Method;

/**
 * The ablation loop's variant words, each of which must reach the options it names, and its seeded
 * subset of a dataset in the MVTec-AD layout.
 */
class AblationTest {
    private final DetectOptions defaults = DetectOptions.defaults(Presets.fast().detect());

    @Test
    void everyPartOfAVariantSetsItsOption() {
        DetectOptions o = Ablation.options(defaults, "baseline:own_code,reflect!l2@8#0.95^64%0.1");
        assertEquals(Method.BASELINE, o.method());
        assertTrue(o.fusion().ownDetailCode());
        assertTrue(o.fusion().reflectBorders());
        assertFalse(o.fusion().rangeMatch());
        assertEquals(Residual.L2, o.residual());
        assertEquals(8.0, o.smoothingSigma());
        assertEquals(0.95, o.scoreQuantile());
        assertEquals(64, o.tileSize());
        assertEquals(0.1, o.scoreMargin());
    }

    @Test
    void aBareMethodKeepsTheModelsDefaults() {
        DetectOptions o = Ablation.options(defaults, "expert");
        assertEquals(Method.EXPERT, o.method());
        assertEquals(defaults.residual(), o.residual());
        assertEquals(defaults.smoothingSigma(), o.smoothingSigma());
        assertEquals(defaults.tileSize(), o.tileSize());
        assertEquals(defaults.fusion(), o.fusion());
        assertEquals(defaults.scoreMargin(), o.scoreMargin());
    }

    @Test
    void anUnknownWordIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "utad!l1"));
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "nothing"));
        assertThrows(IllegalArgumentException.class, () -> Ablation.options(defaults, "baseline%0.5"));
    }

    private static List<String> names(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theSubsetLinksAFixedChoiceOfEachTypeWithTheMasksOfThoseImages(@TempDir Path dir) throws IOException {
        DefectDataset data = new DefectDataset(dir.resolve("data"));
        for (int i = 0; i < 5; i++) {
            Files.createDirectories(data.testFolder("good"));
            Files.writeString(data.testFolder("good").resolve("g" + i + ".png"), "good " + i);
        }
        for (int i = 0; i < 4; i++) {
            Files.createDirectories(data.testFolder("crack"));
            Path image = Files.writeString(data.testFolder("crack").resolve("c" + i + ".png"), "crack " + i);
            Files.createDirectories(data.maskFolder("crack"));
            Files.writeString(data.maskFile("crack", image), "mask " + i);
        }
        Path first = Ablation.subset(data.root(), dir.resolve("a"), 3, 7);
        DefectDataset subset = new DefectDataset(first);
        assertEquals(List.of("crack", "good"), subset.testTypes());
        assertEquals(3, names(subset.testFolder("good")).size());
        List<String> cracks = names(subset.testFolder("crack"));
        assertEquals(3, cracks.size());
        for (String c : cracks) {
            Path image = subset.testFolder("crack").resolve(c);
            assertTrue(Files.isSymbolicLink(image), c);
            assertEquals("crack " + c.charAt(1), Files.readString(image));
            assertEquals("mask " + c.charAt(1), Files.readString(subset.maskFile("crack", image)));
        }
        assertEquals(3, names(subset.maskFolder("crack")).size());
        assertEquals(List.of(), names(subset.maskFolder("good")));

        DefectDataset again = new DefectDataset(Ablation.subset(data.root(), dir.resolve("b"), 3, 7));
        assertEquals(cracks, names(again.testFolder("crack")));
        assertEquals(names(subset.testFolder("good")), names(again.testFolder("good")));
        DefectDataset all = new DefectDataset(Ablation.subset(data.root(), dir.resolve("c"), 100, 7));
        assertEquals(5, names(all.testFolder("good")).size());
        assertEquals(4, names(all.maskFolder("crack")).size());
    }
}
