package org.leantrain.bench;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.leantrain.core.util.Rng;
import org.leantrain.dropout.LmConfig;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The external reference of spec §5: DL4J 1.0.0-M2.1's own LSTM language model at the same sizes —
 * EmbeddingSequenceLayer, L × LSTM (tanh) with {@code dropOut(1 − p)} (DL4J takes the RETAIN probability and
 * drops each layer's input per element, Case I), RnnOutputLayer with softmax cross-entropy, truncated BPTT of
 * length T, Adam. One {@link #run} is one training step on one segment. No equivalence is expected.
 */
final class Dl4jLstmReference implements Runnable {
    private final MultiLayerNetwork net;
    private final INDArray features;
    private final INDArray labels;

    Dl4jLstmReference(LmConfig c, Rng rng) {
        double retain = 1 - c.dropout().p();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(0).dataType(DataType.FLOAT).updater(new Adam(c.learningRate()))
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(c.vocab()).nOut(c.embed()).inputLength(c.bptt())
                        .outputDataFormat(RNNFormat.NCW).build());
        for (int l = 0; l < c.layers(); l++) {
            LSTM.Builder lstm = new LSTM.Builder().nIn(l == 0 ? c.embed() : c.hidden()).nOut(c.hidden())
                    .activation(Activation.TANH);
            if (retain < 1) {
                lstm.dropOut(retain);
            }
            list.layer(lstm.build());
        }
        RnnOutputLayer.Builder output = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(c.hidden()).nOut(c.vocab()).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW);
        if (retain < 1) {
            output.dropOut(retain);
        }
        MultiLayerConfiguration conf = list.layer(output.build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(c.bptt())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        features = Nd4j.create(DataType.FLOAT, c.batch(), 1, c.bptt()); // 3-d, or DL4J skips truncated BPTT
        labels = Nd4j.zeros(DataType.FLOAT, c.batch(), c.vocab(), c.bptt());
        for (int b = 0; b < c.batch(); b++) {
            for (int t = 0; t < c.bptt(); t++) {
                features.putScalar(new int[] {b, 0, t}, rng.nextInt(c.vocab()));
                labels.putScalar(new int[] {b, rng.nextInt(c.vocab()), t}, 1.0);
            }
        }
    }

    @Override
    public void run() {
        net.fit(features, labels);
    }
}
