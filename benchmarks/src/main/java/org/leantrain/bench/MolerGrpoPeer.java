package org.leantrain.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Stats;
import org.leantrain.rag.Bm25Index;
import org.leantrain.rag.Corpus;
import org.leantrain.rag.DomainRagExperiment;
import org.leantrain.rag.FusionMode;
import org.leantrain.rag.GrpoConfig;
import org.leantrain.rag.GrpoObjective;
import org.leantrain.rag.GrpoTrainer;
import org.leantrain.rag.Query;
import org.leantrain.rag.QueryExpansionPipeline;
import org.leantrain.rag.RetrievalEvaluation;
import org.leantrain.rag.RetrievalMetrics;
import org.leantrain.rag.SyntheticWorld;
import org.leantrain.rag.TextGenerator;
import org.leantrain.rag.TinyCausalLm;
import org.leantrain.rag.WordTokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * GRPO learning speed against an independent PyTorch implementation of the spec (benchmarks/python/
 * moler_grpo_peer.py): both start from the same MoL model and run the quick configuration's 60 GRPO steps, several
 * draws each; the training-reward gain and the held-out recall gains are compared. A gap would point at an
 * implementation difference rather than at the miniature.
 */
final class MolerGrpoPeer {
    /** Test-set sampler seeds of the held-out evaluation; each gain is the mean over them. */
    private static final long[] EVAL_SEEDS = {100, 101};

    /** One GRPO run: training reward over the first / last 10 steps, held-out R@10 gains over the start model. */
    record Draw(double rewardFirst, double rewardLast, double gainMslf, double gainMmlf, double zeroVariance) {
        double rewardGain() {
            return rewardLast - rewardFirst;
        }
    }

    private MolerGrpoPeer() {}

    static void compare(DomainRagExperiment.MolStart start, long seed, int draws, int steps, String python,
            int threads, Path dir, Metrics metrics) throws IOException, InterruptedException {
        System.out.printf("%nGRPO against a PyTorch implementation of the spec (seed %d, %d draws each, %d steps, from"
                + " the same MoL model):%n", seed, draws, steps);
        SyntheticWorld world = start.world();
        WordTokenizer tok = start.tokenizer();
        TinyCausalLm mol = start.mol();
        Corpus corpus = world.domainCorpus();
        Path data = Files.createDirectories(dir.resolve("grpo-peer"));
        List<Draw> java = new ArrayList<>();
        try (Bm25Index index = Bm25Index.of(corpus)) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(tok, index, 3);
            export(mol, tok, corpus, index, pipe, data);
            double[] before = heldOut(mol, world, tok, pipe);
            System.out.printf("  MoL held-out R@10 (mean of %d sampler seeds): MSLF %.3f, MMLF %.3f%n",
                    EVAL_SEEDS.length, before[0], before[1]);
            for (int d = 0; d < draws; d++) {
                TinyCausalLm policy = mol.copy();
                GrpoTrainer.RlLog log = GrpoTrainer.train(policy, corpus.trainQueries(), pipe, tok,
                        GrpoConfig.quick(GrpoObjective.Variant.GRPO).withSteps(steps), new Rng(1000 + d),
                        "GRPO draw " + d);
                double[] end = heldOut(policy, world, tok, pipe);
                Draw draw = new Draw(Stats.meanOfFirst(log.meanReward(), 10), Stats.meanOfLast(log.meanReward(), 10),
                        end[0] - before[0], end[1] - before[1], Stats.mean(log.zeroVarianceFraction()));
                java.add(draw);
                print("leantrain", d, draw);
            }
        }
        List<Draw> torch = runPeer(python, threads, data, draws, steps);
        CsvTable table = new CsvTable("implementation", "draw", "reward_first10", "reward_last10", "gain_mslf",
                "gain_mmlf", "zero_variance_fraction");
        for (int i = 0; i < 2; i++) {
            List<Draw> list = i == 0 ? java : torch;
            for (int d = 0; d < list.size(); d++) {
                Draw x = list.get(d);
                table.add(i, d, x.rewardFirst(), x.rewardLast(), x.gainMslf(), x.gainMmlf(), x.zeroVariance());
            }
        }
        table.write(dir.resolve("grpo_peer.csv"));
        summarise("leantrain", java, "java", metrics);
        if (torch.isEmpty()) {
            metrics.missing("grpo_peer_reward_gain_torch");
            return;
        }
        summarise("PyTorch", torch, "torch", metrics);
        System.out.println("  grpo_peer.csv: implementation 0 = leantrain, 1 = PyTorch; one row per draw");
    }

    private static void print(String who, int d, Draw x) {
        System.out.printf("  %-9s draw %d: reward %.3f → %.3f (%+.3f), zero-variance groups %.2f, held-out R@10 gain"
                + " MSLF %+.3f, MMLF %+.3f%n", who, d, x.rewardFirst(), x.rewardLast(), x.rewardGain(),
                x.zeroVariance(), x.gainMslf(), x.gainMmlf());
    }

    private static void summarise(String who, List<Draw> draws, String key, Metrics metrics) {
        double reward = draws.stream().mapToDouble(Draw::rewardGain).average().orElse(Double.NaN);
        double mslf = draws.stream().mapToDouble(Draw::gainMslf).average().orElse(Double.NaN);
        double mmlf = draws.stream().mapToDouble(Draw::gainMmlf).average().orElse(Double.NaN);
        System.out.printf("  %-9s mean of %d draws: reward gain %+.3f, held-out gain MSLF %+.3f, MMLF %+.3f%n", who,
                draws.size(), reward, mslf, mmlf);
        metrics.put("grpo_peer_reward_gain_" + key, reward).put("grpo_peer_gain_mslf_" + key, mslf)
                .put("grpo_peer_gain_mmlf_" + key, mmlf);
    }

    /** Held-out R@10 with the evaluation decoding, MSLF and MMLF, each the mean over {@link #EVAL_SEEDS}. */
    private static double[] heldOut(TinyCausalLm lm, SyntheticWorld world, WordTokenizer tok,
            QueryExpansionPipeline pipe) {
        double[] r = new double[2];
        for (FusionMode m : FusionMode.values()) {
            for (long seed : EVAL_SEEDS) {
                r[m.ordinal()] += RetrievalEvaluation.expanded("peer", TextGenerator.of(lm, tok), pipe, world,
                        world.domainCorpus().testQueries(), m, seed).recall10() / EVAL_SEEDS.length;
            }
        }
        return r;
    }

    /**
     * The peer's inputs: the model's parameters (name, shape, then values; linear weights as leantrain stores them,
     * [in, out]), the vocabulary with each word's BM25 analyzer terms (so the peer needs no Lucene), the documents, the
     * queries with their graded qrels, and values the peer must reproduce before it trains.
     */
    private static void export(TinyCausalLm mol, WordTokenizer tok, Corpus corpus, Bm25Index index,
            QueryExpansionPipeline pipe, Path data) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(data.resolve("weights.txt")))) {
            for (Map.Entry<String, Tensor> e : mol.namedParameters().entrySet()) {
                double[] v = e.getValue().value().castTo(DataType.DOUBLE).dup('c').data().asDouble();
                w.println(e.getKey() + " " + join(Arrays.stream(e.getValue().shape()).mapToObj(Long::toString)));
                w.println(join(Arrays.stream(v).mapToObj(x -> Float.toString((float) x))));
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(data.resolve("vocab.tsv")))) {
            for (int i = 0; i < tok.size(); i++) {
                List<String> terms = new ArrayList<>();
                index.terms(tok.word(i)).forEach((t, c) -> terms.addAll(java.util.Collections.nCopies(c, t)));
                w.println(tok.word(i) + "\t" + String.join(" ", terms));
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(data.resolve("docs.txt")))) {
            for (int i = 0; i < corpus.documents().size(); i++) {
                if (corpus.documents().get(i).id() != i) {
                    throw new IllegalStateException("document ids must equal their positions for the peer");
                }
                w.println(corpus.documents().get(i).text());
            }
        }
        writeQueries(corpus.trainQueries(), data.resolve("train.tsv"));
        writeQueries(corpus.testQueries(), data.resolve("test.tsv"));
        double raw = 0;
        for (Query q : corpus.testQueries()) {
            raw += RetrievalMetrics.recallAt(index.search(q.text(), 100), q.qrels(), 10);
        }
        Query q0 = corpus.trainQueries().get(0);
        String passage = q0.text() + " is a condition that causes nausea";
        int[] fused = pipe.retrieve(q0.text(), List.of(passage));
        int[] row = tok.encode(pipe.mqrPrompt(q0.text()) + " " + q0.text() + " ; " + q0.text() + " <eos>");
        double[] logp;
        try (StepMemory ignored = StepMemory.open()) {
            logp = mol.tokenLogProbs(new int[][] {row}, new int[] {row.length}).value().castTo(DataType.DOUBLE)
                    .toDoubleVector();
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(data.resolve("checks.txt")))) {
            w.println("raw_recall10_test " + raw / corpus.testQueries().size());
            w.println("fused_q0_passage " + passage);
            w.println("fused_q0 " + join(Arrays.stream(fused).limit(20).mapToObj(Integer::toString)));
            w.println("ids " + join(Arrays.stream(row).mapToObj(Integer::toString)));
            w.println("logp " + join(Arrays.stream(logp).mapToObj(Double::toString)));
        }
    }

    private static void writeQueries(List<Query> queries, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            for (Query q : queries) {
                StringBuilder rels = new StringBuilder();
                q.qrels().forEach((doc, grade) -> rels.append(rels.length() > 0 ? "," : "").append(doc).append(':')
                        .append(grade));
                w.println(q.text() + "\t" + rels);
            }
        }
    }

    private static String join(java.util.stream.Stream<String> parts) {
        return String.join(" ", parts.toList());
    }

    /** Runs the peer, echoing its progress, and reads its draws from the JSON line it ends with (none if it failed). */
    private static List<Draw> runPeer(String python, int threads, Path data, int draws, int steps)
            throws IOException, InterruptedException {
        Path script = TorchPeer.extract("moler_grpo_peer.py");
        try {
            ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--data", data.toString(), "--draws",
                    String.join(",", IntStream.range(0, draws).mapToObj(Integer::toString).toList()), "--steps",
                    Integer.toString(steps), "--threads", Integer.toString(threads), "--eval-seeds",
                    String.join(",", Arrays.stream(EVAL_SEEDS).mapToObj(Long::toString).toList()))
                    .redirectErrorStream(true);
            pb.environment().remove("OMP_WAIT_POLICY"); // bin/leantrain-bench sets it for ND4J
            TorchPeer.settle();
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                System.out.println("  PyTorch peer skipped: " + python + " not found; " + TorchPeer.HINT);
                return List.of();
            }
            String last = "";
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; last = line) {
                    if (!line.startsWith("{")) {
                        System.out.println("  PyTorch   " + line);
                    }
                }
            }
            if (p.waitFor() != 0 || !last.startsWith("{")) {
                System.out.println("  PyTorch peer failed: " + last + "; " + TorchPeer.HINT);
                return List.of();
            }
            List<Draw> out = new ArrayList<>();
            for (String part : last.substring(last.indexOf("\"draws\"")).split("\\}")) {
                if (part.contains("reward_first10")) {
                    out.add(new Draw(number(part, "reward_first10"), number(part, "reward_last10"),
                            number(part, "gain_mslf"), number(part, "gain_mmlf"), number(part, "zero_variance")));
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static double number(String json, String key) {
        double v = TorchPeer.jsonNumber(json, key);
        if (Double.isNaN(v)) {
            throw new IllegalStateException("the PyTorch peer printed no " + key + " in " + json);
        }
        return v;
    }
}
