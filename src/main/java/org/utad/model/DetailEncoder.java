package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.utad.config.ExpertNetConfig;

/**
 * The detail (style) encoder of an Expert-Net generator (MUNIT's style encoder): a short global
 * vector that describes appearance (contrast, texture) but not layout, because it is pooled over
 * the whole image. Being global, it cannot carry a local anomaly into the expert reconstruction.
 *
 * <p>Layout, no normalisation: reflection pad 3 + 7x7 conv to {@code dim}, ReLU; then stride-2 4x4
 * convs (reflection pad 1), each with ReLU, the first two doubling the channels and the rest keeping
 * them (4 in the reference; fewer for small images, see {@link ExpertGenerator.Builder#optImageSize});
 * global average pooling; a linear map (equal to MUNIT's 1x1 conv) to {@code detailDim}. Convs and
 * the linear map have biases.
 *
 * <p>Forward: {@code NDList(x)}, x (N, C, H, W) in [-1, 1]; returns {@code NDList(code)} of shape
 * (N, detailDim). Any image size that survives the stride-2 convs works. Built by {@link ExpertGenerator}.
 */
public final class DetailEncoder extends InitialisedBlock {
    private final int downsamplings;
    private final int detailDim;
    private final SequentialBlock convs;
    private final Linear code;

    DetailEncoder(ExpertNetConfig config, int downsamplings) {
        this.downsamplings = downsamplings;
        this.detailDim = config.detailDim();
        int dim = config.dim();
        SequentialBlock net = new Sequential().add(Layers.reflectConv(dim, 7, 1, 3, true)).add(ShapedLambda.relu());
        for (int i = 0; i < downsamplings; i++) {
            if (i < 2) {
                dim *= 2;
            }
            net.add(Layers.reflectConv(dim, 4, 2, 1, true)).add(ShapedLambda.relu());
        }
        convs = addChildBlock("convs", net);
        code = addChildBlock("code", Linear.builder().setUnits(detailDim).build());
    }

    /** @return the number of stride-2 convolutions */
    public int getDownsamplings() {
        return downsamplings;
    }

    /** @return the length of the detail code */
    public int getDetailDim() {
        return detailDim;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray features = convs.forward(parameterStore, inputs, training, params).singletonOrThrow();
        Shape s = features.getShape();
        NDArray pooled = features.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        return code.forward(parameterStore, new NDList(pooled), training, params);
    }

    private Shape pooledShape(Shape[] inputShapes) {
        Shape f = convs.getOutputShapes(inputShapes)[0];
        return new Shape(f.get(0), f.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), detailDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        convs.initialize(manager, dataType, inputShapes);
        code.initialize(manager, dataType, pooledShape(inputShapes));
    }
}
