package org.utad.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;
import org.utad.engine.MaxPooling;

/**
 * A parameter-free single-tensor operation with an analytic output shape.
 *
 * <p>DJL's {@code LambdaBlock} infers its output shape by running the function on a zero tensor of
 * the full input shape, which costs a large allocation per layer at initialisation; activations and
 * poolings here compute their shape instead.
 */
final class ShapedLambda extends InitialisedBlock {
    private final String name;
    private final UnaryOperator<NDArray> op;
    private final UnaryOperator<Shape> shapeOp;

    ShapedLambda(String name, UnaryOperator<NDArray> op, UnaryOperator<Shape> shapeOp) {
        this.name = name;
        this.op = op;
        this.shapeOp = shapeOp;
    }

    /** @return a ReLU */
    static ShapedLambda relu() {
        return new ShapedLambda("relu", Activation::relu, UnaryOperator.identity());
    }

    /** @return a leaky ReLU with the given negative slope */
    static ShapedLambda leakyRelu(float slope) {
        return new ShapedLambda("leakyRelu", x -> Activation.leakyRelu(x, slope), UnaryOperator.identity());
    }

    /** @return a logistic sigmoid */
    static ShapedLambda sigmoid() {
        return new ShapedLambda("sigmoid", Activation::sigmoid, UnaryOperator.identity());
    }

    /** @return a hyperbolic tangent */
    static ShapedLambda tanh() {
        return new ShapedLambda("tanh", Activation::tanh, UnaryOperator.identity());
    }

    /** @return a square max-pooling of the given kernel, stride and zero padding (NCHW) */
    static ShapedLambda maxPool(int kernel, int stride, int pad) {
        return new ShapedLambda("maxPool" + kernel, x -> MaxPooling.maxPool2d(x, kernel, stride, pad),
                in -> pooledShape(in, kernel, stride, pad));
    }

    /** @return the NCHW shape after a square window of the given size, stride and padding (floor mode) */
    static Shape pooledShape(Shape in, int kernel, int stride, int pad) {
        return new Shape(in.get(0), in.get(1), (in.get(2) + 2L * pad - kernel) / stride + 1,
                (in.get(3) + 2L * pad - kernel) / stride + 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(op.apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {shapeOp.apply(inputShapes[0])};
    }

    @Override
    public String toString() {
        return name + "()";
    }
}
