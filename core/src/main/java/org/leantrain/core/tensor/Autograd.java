package org.leantrain.core.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reverse-mode engine: walks the recorded graph from one or more roots in reverse topological order.
 *
 * <p>{@link #backward} accumulates into the {@link Tensor#grad()} of every leaf that requires a gradient.
 * {@link #grad} returns gradients with respect to chosen tensors and leaves every {@code grad()} untouched (e.g. a
 * Langevin move needs dU/dx only); it also skips the work of branches that do not lead to the chosen tensors.
 */
public final class Autograd {
    /** The leaves the plain backward running on this thread accumulates into; null inside {@link #grad}. */
    private static final ThreadLocal<Set<Tensor>> ACCUMULATING = new ThreadLocal<>();

    private Autograd() {}

    /**
     * Whether an op's backward may add its gradient for {@code input} straight into {@code input.grad()} (and return
     * null for it): true during a plain {@link #backward} for a leaf that requires a gradient. Used by matrix
     * products, whose weight gradient is then one gemm with β = 1 into the accumulated gradient instead of a new
     * array plus an add — the common case of gradient accumulation over micro-batches.
     */
    static boolean accumulatesInPlace(Tensor input) {
        Set<Tensor> touched = ACCUMULATING.get();
        if (touched == null || !input.isLeaf() || !input.requiresGrad()) {
            return false;
        }
        touched.add(input);
        return true;
    }

    /** Backward from a scalar root with seed 1. */
    public static void backward(Tensor root) {
        backward(new Tensor[] {root}, new INDArray[] {null}, false);
    }

    /**
     * Backward from several roots with the given seeds (a null seed means 1 and needs a scalar root). Unless
     * {@code retainGraph}, the graph's backward closures and saved arrays are freed as they are used.
     */
    public static void backward(Tensor[] roots, INDArray[] seeds, boolean retainGraph) {
        run(roots, seeds, retainGraph, null);
    }

    /** d(output)/d(inputs) for a scalar output; parameter grads are not touched and the graph is freed. */
    public static INDArray[] grad(Tensor output, Tensor... inputs) {
        return grad(output, null, false, inputs);
    }

    /** d(output)/d(inputs) with an explicit seed (null means 1 for a scalar output). */
    public static INDArray[] grad(Tensor output, INDArray seed, boolean retainGraph, Tensor... inputs) {
        checkInputs(inputs);
        return run(new Tensor[] {output}, new INDArray[] {seed}, retainGraph, inputs);
    }

    /**
     * Gradients of several outputs, each with its seed, summed, with respect to inputs; outputs that do not
     * depend on anything requiring a gradient contribute nothing. Frees the graph.
     */
    public static INDArray[] grad(Tensor[] outputs, INDArray[] seeds, Tensor... inputs) {
        checkInputs(inputs);
        List<Tensor> roots = new ArrayList<>();
        List<INDArray> rootSeeds = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i].requiresGrad()) {
                roots.add(outputs[i]);
                rootSeeds.add(seeds[i]);
            }
        }
        if (roots.isEmpty()) {
            INDArray[] zeros = new INDArray[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                zeros[i] = Nd4j.zeros(inputs[i].dataType(), inputs[i].shape());
            }
            return zeros;
        }
        return run(roots.toArray(new Tensor[0]), rootSeeds.toArray(new INDArray[0]), false, inputs);
    }

    private static void checkInputs(Tensor[] inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("Autograd.grad: give at least one input to differentiate with respect to");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("Autograd.grad: input " + i + " (shape "
                        + Nd.shape(inputs[i].shape()) + ") does not require a gradient; create it with"
                        + " Tensor.parameter(...) or requireGrad(true)");
            }
        }
    }

    private static INDArray[] run(Tensor[] roots, INDArray[] seeds, boolean retainGraph, Tensor[] wrt) {
        Set<Tensor> outer = ACCUMULATING.get();
        try {
            return runScoped(roots, seeds, retainGraph, wrt);
        } finally {
            ACCUMULATING.set(outer);
        }
    }

    private static INDArray[] runScoped(Tensor[] roots, INDArray[] seeds, boolean retainGraph, Tensor[] wrt) {
        if (roots.length != seeds.length) {
            throw new IllegalArgumentException("backward: " + roots.length + " roots but " + seeds.length + " seeds");
        }
        INDArray[] resolvedSeeds = new INDArray[roots.length];
        for (int r = 0; r < roots.length; r++) {
            resolvedSeeds[r] = resolveSeed(roots[r], seeds[r]);
        }
        Map<Tensor, Integer> wrtLeaves = new IdentityHashMap<>();
        Map<Node, List<int[]>> wrtNodes = new IdentityHashMap<>();
        if (wrt != null) {
            for (int i = 0; i < wrt.length; i++) {
                if (wrt[i].node == null) {
                    wrtLeaves.put(wrt[i], i);
                } else {
                    wrtNodes.computeIfAbsent(wrt[i].node, k -> new ArrayList<>()).add(new int[] {wrt[i].slot, i});
                }
            }
        }
        INDArray[] results = wrt == null ? null : new INDArray[wrt.length];
        Accumulator acc = new Accumulator();
        Set<Tensor> touchedLeaves = Collections.newSetFromMap(new IdentityHashMap<>());
        ACCUMULATING.set(wrt == null ? touchedLeaves : null);

        List<Node> startNodes = new ArrayList<>();
        for (int r = 0; r < roots.length; r++) {
            Tensor root = roots[r];
            if (!root.requiresGrad()) {
                throw new IllegalArgumentException("backward: root " + r + " (shape " + Nd.shape(root.shape())
                        + ") does not require a gradient: no input of it requires one, or it was computed under"
                        + " GradMode.noGrad()");
            }
            if (root.node == null) {
                if (wrt == null) {
                    accumulateLeaf(root, resolvedSeeds[r], touchedLeaves);
                } else if (wrtLeaves.containsKey(root)) {
                    int k = wrtLeaves.get(root);
                    results[k] = sum(results[k], resolvedSeeds[r]);
                }
            } else {
                acc.add(root.node, root.slot, resolvedSeeds[r]);
                startNodes.add(root.node);
            }
        }

        List<Node> order = topologicalOrder(startNodes);
        Set<Node> reaches = wrt == null ? null : nodesReaching(order, wrtLeaves, wrtNodes);
        for (int k = order.size() - 1; k >= 0; k--) {
            Node node = order.get(k);
            INDArray[] gradOutputs = acc.take(node);
            if (wrtNodes.containsKey(node)) {
                for (int[] slotAndIndex : wrtNodes.get(node)) {
                    results[slotAndIndex[1]] = gradOutputs[slotAndIndex[0]];
                }
            }
            if (reaches != null && !reaches.contains(node)) {
                if (!retainGraph) {
                    node.release();
                }
                continue;
            }
            boolean[] needs = needsInputGrad(node, reaches, wrtLeaves, wrtNodes);
            INDArray[] gradInputs = node.runBackward(gradOutputs, needs);
            if (!retainGraph) {
                node.release();
            }
            for (int i = 0; i < needs.length; i++) {
                if (!needs[i] || gradInputs[i] == null) {
                    continue;
                }
                INDArray g = Nd.reduceTo(gradInputs[i], node.inputShapes[i]);
                if (GradMode.isAnomalyDetectionEnabled() && !Nd.isFinite(g)) {
                    throw new ArithmeticException("backward of op '" + node.op + "' produced NaN/Inf in the gradient"
                            + " of its input " + i + " (shape " + Nd.shape(node.inputShapes[i]) + ")");
                }
                if (node.inputNodes[i] != null) {
                    acc.add(node.inputNodes[i], node.inputSlots[i], g);
                } else if (wrt == null) {
                    accumulateLeaf(node.inputLeaves[i], g, touchedLeaves);
                } else {
                    int index = wrtLeaves.get(node.inputLeaves[i]);
                    results[index] = sum(results[index], g);
                }
            }
        }
        if (wrt == null) {
            for (Tensor leaf : touchedLeaves) {
                checkFinite(leaf.grad(), "the gradient of leaf " + leaf.describe());
            }
            return null;
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = Nd4j.zeros(wrt[i].dataType(), wrt[i].shape());
            }
            checkFinite(results[i], "the gradient with respect to input " + i + " " + wrt[i].describe());
        }
        return results;
    }

    private static INDArray resolveSeed(Tensor root, INDArray seed) {
        if (seed == null) {
            if (root.value().length() != 1) {
                throw new IllegalArgumentException("backward needs a scalar output, got shape "
                        + Nd.shape(root.shape()) + "; reduce it (e.g. sum() or mean()) or pass a seed gradient of"
                        + " that shape");
            }
            return Nd4j.ones(root.dataType(), root.shape());
        }
        if (!java.util.Arrays.equals(seed.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: seed gradient shape " + Nd.shape(seed.shape())
                    + " differs from the output shape " + Nd.shape(root.shape()));
        }
        if (seed.dataType() != root.dataType()) {
            throw new IllegalArgumentException("backward: seed gradient is " + seed.dataType() + " but the output is "
                    + root.dataType());
        }
        return seed;
    }

    private static void accumulateLeaf(Tensor leaf, INDArray g, Set<Tensor> touched) {
        leaf.accumulateGrad(g);
        touched.add(leaf);
    }

    private static INDArray sum(INDArray existing, INDArray g) {
        return existing == null ? g : existing.add(g);
    }

    private static void checkFinite(INDArray grad, String what) {
        if (!Nd.isFinite(grad)) {
            throw new ArithmeticException("backward produced NaN/Inf in " + what + "; run the backward inside"
                    + " GradMode.detectAnomaly() to find the op that produced it");
        }
    }

    private static boolean[] needsInputGrad(Node node, Set<Node> reaches, Map<Tensor, Integer> wrtLeaves,
                                             Map<Node, List<int[]>> wrtNodes) {
        boolean[] needs = new boolean[node.inputShapes.length];
        for (int i = 0; i < needs.length; i++) {
            if (reaches == null) {
                needs[i] = node.requiresGrad(i);
            } else if (node.inputNodes[i] != null) {
                needs[i] = reaches.contains(node.inputNodes[i]) || wrtNodes.containsKey(node.inputNodes[i]);
            } else {
                needs[i] = node.inputLeaves[i] != null && wrtLeaves.containsKey(node.inputLeaves[i]);
            }
        }
        return needs;
    }

    /** Nodes from which some requested tensor can be reached (so their backward has work to do). */
    private static Set<Node> nodesReaching(List<Node> order, Map<Tensor, Integer> wrtLeaves,
                                           Map<Node, List<int[]>> wrtNodes) {
        Set<Node> reaches = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node node : order) { // inputs come before their consumers
            for (int i = 0; i < node.inputShapes.length; i++) {
                Node in = node.inputNodes[i];
                boolean leafWanted = node.inputLeaves[i] != null && wrtLeaves.containsKey(node.inputLeaves[i]);
                if (leafWanted || (in != null && (reaches.contains(in) || wrtNodes.containsKey(in)))) {
                    reaches.add(node);
                    break;
                }
            }
        }
        return reaches;
    }

    /** Post-order (inputs before consumers), iterative so deep graphs do not overflow the stack. */
    private static List<Node> topologicalOrder(List<Node> starts) {
        List<Node> order = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Node start : starts) {
            if (visited.add(start)) {
                stack.push(new Object[] {start, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Node node = (Node) frame[0];
                int next = (Integer) frame[1];
                if (next < node.inputNodes.length) {
                    frame[1] = next + 1;
                    Node in = node.inputNodes[next];
                    if (in != null && visited.add(in)) {
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(node);
                }
            }
        }
        return order;
    }

    /** Gradients arriving at each node's outputs; sums fan-out without mutating arrays it does not own. */
    private static final class Accumulator {
        private final Map<Node, INDArray[]> pending = new IdentityHashMap<>();
        private final Set<INDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());

        void add(Node node, int slot, INDArray g) {
            INDArray[] grads = pending.computeIfAbsent(node, k -> new INDArray[k.outputShapes.length]);
            INDArray existing = grads[slot];
            if (existing == null) {
                grads[slot] = g;
            } else if (owned.contains(existing)) {
                existing.addi(g);
            } else {
                INDArray total = existing.add(g);
                owned.add(total);
                grads[slot] = total;
            }
        }

        /**
         * The summed gradients of a node's outputs. They are handed to its backward, which may pass an array on
         * unchanged to several inputs (an add does), so from here on the sum is shared and no longer ours to add
         * into in place.
         */
        INDArray[] take(Node node) {
            INDArray[] grads = pending.remove(node);
            if (grads == null) {
                grads = new INDArray[node.outputShapes.length];
            }
            for (int s = 0; s < grads.length; s++) {
                if (grads[s] == null) {
                    grads[s] = Nd4j.zeros(node.dataType, node.outputShapes[s]);
                }
                owned.remove(grads[s]);
            }
            return grads;
        }
    }
}
