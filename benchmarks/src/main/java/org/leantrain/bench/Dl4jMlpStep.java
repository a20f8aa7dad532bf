package org.leantrain.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The same MLP step as {@link MlpStep} in DL4J's MultiLayerNetwork (784-512-512-10, ReLU, softmax CE, SGD). */
final class Dl4jMlpStep implements Runnable {
    private final MultiLayerNetwork net;
    private final INDArray x;
    private final INDArray y;

    Dl4jMlpStep(int batch) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(0).dataType(DataType.FLOAT).updater(new Sgd(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(512).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(512).nOut(512).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(512).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Rng rng = new Rng(0);
        x = rng.uniform(DataType.FLOAT, 0, 1, batch, 784);
        y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, rng.nextInt(10), 1.0);
        }
    }

    @Override
    public void run() {
        net.fit(x, y);
    }
}
