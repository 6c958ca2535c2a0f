package org.utad.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** The engine starts offline from the bundled CPU natives and runs a convolution correctly. */
class EngineSmokeTest {

    @Test
    void engineLoadsOfflineAndRunsAConvolution() {
        Engines.offline();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(Device.cpu(), Engines.device(DeviceChoice.CPU));
        assertTrue(Engines.describe().contains("PyTorch"));
        assertEquals("cpu", Engines.label(Engines.device(DeviceChoice.CPU)));
        DeviceReport auto = Engines.deviceReport(DeviceChoice.AUTO);
        assertEquals(Device.cpu(), auto.device(), "this machine has no GPU");
        assertTrue(auto.line().startsWith("device: cpu (asked auto; "), auto.line());
        EngineInfo info = Engines.info();
        assertEquals("cpu", info.nativesFlavor());
        assertTrue(info.summary().startsWith("DJL 0.36.0, PyTorch 2.7.1 (cpu natives), GPUs: 0"), info.summary());
        assertTrue(info.text().contains("natives: "), info.text());
        assertTrue(info.text().contains("bundled CPU natives"), info.text());
        assertTrue(info.offline());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Conv2d conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(2).optBias(false).build();
            conv.setInitializer(new ConstantInitializer(1f), Parameter.Type.WEIGHT);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 4));
            NDArray x = manager.ones(new Shape(1, 1, 4, 4));
            NDArray y = conv.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(1, 2, 4, 4), y.getShape());
            // A 3x3 box sum of ones: 4 at corners, 6 on edges, 9 inside.
            float[] first = y.get(0, 0).toFloatArray();
            assertArrayEquals(new float[] {4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4}, first, 1e-6f);
        }
    }
}
