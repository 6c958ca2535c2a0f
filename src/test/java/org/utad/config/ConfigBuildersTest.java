package org.utad.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The sections' builders: a copy through {@code toBuilder()} is the same section, a named setting
 * lands in the component of that name and nowhere else, a forgotten setting is named, and the
 * records' own range checks still apply.
 */
class ConfigBuildersTest {

    @Test
    void toBuilderCopiesEverySectionOfEveryPreset() {
        for (String name : Presets.NAMES) {
            UtadConfig c = Presets.get(name);
            assertEquals(c.ieNet(), c.ieNet().toBuilder().build(), name);
            assertEquals(c.expertNet(), c.expertNet().toBuilder().build(), name);
            assertEquals(c.stage2(), c.stage2().toBuilder().build(), name);
            assertEquals(c.detect(), c.detect().toBuilder().build(), name);
            assertEquals(c.stage2().discriminator(), c.stage2().discriminator().toBuilder().build(), name);
            Stage1Config copy = c.stage1().toBuilder().build();
            assertArrayEquals(c.stage1().decayAt(), copy.decayAt(), name);
            assertEquals(c.stage1().discriminator(), copy.discriminator(), name);
            assertEquals(c.stage1().corruption(), copy.corruption(), name);
        }
    }

    @Test
    void aNamedSettingChangesItsComponentOnly() {
        Stage2Config s = Presets.fast().stage2();
        Stage2Config halved = s.toBuilder().halveEvery(7).build();
        assertEquals(new Stage2Config(s.iterations(), s.batchSize(), s.learningRate(), 7, s.imageRecon(),
                s.paired(), s.contentRecon(), s.detailRecon(), s.ganWeight(), s.discriminator()), halved);

        DetectConfig d = Presets.balanced().detect();
        DetectConfig l2 = d.toBuilder().residual(Residual.L2).smoothingSigma(1.5).build();
        assertEquals(new DetectConfig(d.randomCodes(), Residual.L2, 1.5, d.scoreQuantile(),
                d.calibrationQuantile(), d.tileOverlap(), d.tileSize(), d.fusion(), d.scoreMargin()), l2);

        ExpertNetConfig e = ExpertNetConfig.builder().dim(8).nDownsample(1).nRes(3).detailDim(4).mlpDim(16)
                .mlpLayers(2).build();
        assertEquals(new ExpertNetConfig(8, 1, 3, 4, 16, 2), e);
        assertEquals(new DiscriminatorConfig(8, 2, 5),
                DiscriminatorConfig.builder().dim(8).layers(2).scales(5).build());
    }

    @Test
    void theBuilderKeepsItsOwnCopyOfTheDecayFractions() {
        double[] fractions = {0.25, 0.75};
        Stage1Config.Builder b = Presets.paper().stage1().toBuilder().decayAt(fractions);
        fractions[0] = 0.9;
        assertArrayEquals(new double[] {0.25, 0.75}, b.build().decayAt());
        assertArrayEquals(new double[0], b.decayAt().build().decayAt());
    }

    @Test
    void aSettingLeftOutIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Stage2Config.builder()
                .iterations(10).batchSize(2).learningRate(1e-3).imageRecon(10).paired(10).contentRecon(1)
                .detailRecon(1).ganWeight(1).discriminator(Presets.fast().stage2().discriminator()).build());
        assertTrue(e.getMessage().startsWith("stage2.halve_every was not set"), e.getMessage());
        IllegalStateException d = assertThrows(IllegalStateException.class,
                () -> Presets.fast().detect().toBuilder().fusion(null).build());
        assertTrue(d.getMessage().startsWith("detect.fusion was not set"), d.getMessage());
        IllegalStateException i = assertThrows(IllegalStateException.class, () -> IeNetConfig.builder().build());
        assertTrue(i.getMessage().startsWith("ie_net.filters was not set"), i.getMessage());
    }

    @Test
    void theRecordsStillCheckTheirRanges() {
        IllegalArgumentException tile = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().detect().toBuilder().tileSize(100).build());
        assertTrue(tile.getMessage().contains("multiple of 32"), tile.getMessage());
        IllegalArgumentException corruption = assertThrows(IllegalArgumentException.class,
                () -> Presets.fast().stage1().toBuilder().corruption(1.5).build());
        assertTrue(corruption.getMessage().contains("stage1.corruption"), corruption.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IeNetConfig.builder().filters(6).build());
        assertThrows(IllegalArgumentException.class,
                () -> Presets.paper().expertNet().toBuilder().mlpLayers(1).build());
    }
}
