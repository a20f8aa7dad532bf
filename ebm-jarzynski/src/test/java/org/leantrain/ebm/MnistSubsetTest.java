package org.leantrain.ebm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.ebm.mnist.MnistSubset;

/** Spec §6 test 15: the E3 data are the first 5600/2800/1400 "2"/"3"/"6" of the training file, pixels in [−1, 1]. */
class MnistSubsetTest {

    @Test
    void firstOccurrencesAtFourToTwoToOne() throws Exception {
        Dataset train = Mnist.load(Path.of(System.getProperty("leantrain.data.dir", "../shared/data"), "mnist")).train();
        Dataset subset = MnistSubset.firstOccurrences(train, new int[] {2, 3, 6}, new int[] {5600, 2800, 1400});
        int[] counts = new int[3];
        for (int y : subset.labels()) {
            counts[y]++;
        }
        assertEquals(5600, counts[0]);
        assertEquals(2800, counts[1]);
        assertEquals(1400, counts[2]);

        int firstTwo = -1;
        for (int i = 0; i < train.size() && firstTwo < 0; i++) {
            if (train.label(i) == 2) {
                firstTwo = i;
            }
        }
        int row = 0;
        while (subset.label(row) != 0) {
            row++;
        }
        double[] original = train.features().getRow(firstTwo).toDoubleVector();
        double[] scaled = subset.features().getRow(row).toDoubleVector();
        for (int p = 0; p < 784; p++) {
            assertEquals(2 * original[p] - 1, scaled[p], 1e-6);
        }
        assertEquals(-1, subset.features().minNumber().doubleValue(), 1e-6, "pixel 0 → −1");
        assertEquals(1, subset.features().maxNumber().doubleValue(), 1e-6, "pixel 255 → +1");
    }
}
