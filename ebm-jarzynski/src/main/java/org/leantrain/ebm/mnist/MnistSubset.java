package org.leantrain.ebm.mnist;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.data.Dataset;

/** Digit subsets of MNIST for the E3 experiment, pixels scaled from [0, 1] to [−1, 1]. */
public final class MnistSubset {
    private MnistSubset() {}

    /**
     * The first {@code counts[c]} images of each digit {@code digits[c]} in file order, labels replaced by the class
     * index c, pixels scaled to [−1, 1] (spec §7 E3: 5600 "2", 2800 "3", 1400 "6").
     */
    public static Dataset firstOccurrences(Dataset images, int[] digits, int[] counts) {
        if (digits.length != counts.length || digits.length == 0) {
            throw new IllegalArgumentException("one count per digit needed, got " + digits.length + " digits and "
                    + counts.length + " counts");
        }
        List<Integer> chosen = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        int[] taken = new int[digits.length];
        for (int i = 0; i < images.size(); i++) {
            for (int c = 0; c < digits.length; c++) {
                if (images.label(i) == digits[c] && taken[c] < counts[c]) {
                    taken[c]++;
                    chosen.add(i);
                    classes.add(c);
                }
            }
        }
        for (int c = 0; c < digits.length; c++) {
            if (taken[c] < counts[c]) {
                throw new IllegalArgumentException("only " + taken[c] + " images of digit " + digits[c] + ", asked for "
                        + counts[c]);
            }
        }
        Dataset picked = images.select(chosen.stream().mapToInt(Integer::intValue).toArray());
        return new Dataset(toSigned(picked.features()), classes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** All images of the given digits, labels replaced by the class index, pixels in [−1, 1]. */
    public static Dataset allOf(Dataset images, int... digits) {
        Dataset picked = images.filterClasses(digits);
        int[] labels = new int[picked.size()];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < digits.length; c++) {
                if (picked.label(i) == digits[c]) {
                    labels[i] = c;
                }
            }
        }
        return new Dataset(toSigned(picked.features()), labels);
    }

    /** x ∈ [0, 1] → 2x − 1 ∈ [−1, 1]. */
    public static org.nd4j.linalg.api.ndarray.INDArray toSigned(org.nd4j.linalg.api.ndarray.INDArray unit) {
        return unit.mul(2).subi(1);
    }
}
