package org.leantrain.reversible;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.leantrain.core.tensor.Function;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reversible stack as one core custom function (spec §3). Inputs: the two boundary states and the blocks'
 * trainable parameters; outputs: the final pair. Forward runs all L layers without recording and saves only the
 * final pair (plus the exact pair every k layers when checkpointing; int64 pairs in fixed-point mode). Backward walks
 * the adjoint recursion from layer L−1 down to 0, reconstructing each earlier pair from the later one.
 */
final class ReversibleFunction extends Function {
    private final ReversibleStack stack;
    private final List<Tensor> parameters;

    /** @param parameters the trainable block parameters, in the order they follow the two states in the inputs */
    ReversibleFunction(ReversibleStack stack, List<Tensor> parameters) {
        this.stack = stack;
        this.parameters = parameters;
    }

    @Override
    public String name() {
        return "reversible-stack";
    }

    @Override
    protected INDArray[] forward(Context ctx, INDArray... inputs) {
        StateWalk walk = new StateWalk(stack, inputs[0].dataType());
        int depth = stack.depth();
        int every = stack.config().checkpointEvery();
        List<Integer> checkpoints = new ArrayList<>();
        INDArray[] pair = walk.start(inputs[0], inputs[1]);
        for (int l = 0; l < depth; l++) {
            pair = walk.step(l, pair);
            int j = l + 1;
            if (j % every == 0 && j < depth) {
                ctx.save(pair[0], pair[1]);
                checkpoints.add(j);
            }
        }
        ctx.save(pair[0], pair[1]);
        ctx.put("checkpoints", checkpoints);
        return new INDArray[] {walk.value(pair[0]), walk.value(pair[1])};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
        StateWalk walk = new StateWalk(stack, gradOutputs[0].dataType());
        List<Integer> checkpoints = ctx.get("checkpoints");
        int last = ctx.savedCount() - 2;
        INDArray[] pair = {ctx.saved(last), ctx.saved(last + 1)};
        INDArray[] adjoints = {gradOutputs[0].dup(), gradOutputs[1].dup()};
        Map<Tensor, INDArray> parameterGrads = StateWalk.newGradientSink();
        for (int l = stack.depth() - 1; l >= 0; l--) {
            pair = walk.unstepWithGradient(l, pair, adjoints, parameterGrads);
            int stored = checkpoints.indexOf(l);
            if (stored >= 0) {
                pair = new INDArray[] {ctx.saved(2 * stored), ctx.saved(2 * stored + 1)}; // exact, drops the drift
            }
        }
        INDArray[] grads = new INDArray[2 + parameters.size()];
        grads[0] = ctx.needsInputGrad(0) ? adjoints[0] : null;
        grads[1] = ctx.needsInputGrad(1) ? adjoints[1] : null;
        for (int i = 0; i < parameters.size(); i++) {
            grads[2 + i] = ctx.needsInputGrad(2 + i) ? parameterGrads.get(parameters.get(i)) : null;
        }
        return grads;
    }
}
