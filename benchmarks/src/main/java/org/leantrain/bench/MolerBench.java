package org.leantrain.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Stats;
import org.leantrain.examples.RunOptions;
import org.leantrain.rag.Bm25Index;
import org.leantrain.rag.Corpus;
import org.leantrain.rag.Document;
import org.leantrain.rag.DomainRagExperiment;
import org.leantrain.rag.FusionMode;
import org.leantrain.rag.Formats;
import org.leantrain.rag.Generator;
import org.leantrain.rag.GrpoConfig;
import org.leantrain.rag.GrpoObjective;
import org.leantrain.rag.GrpoTrainer;
import org.leantrain.rag.LmConfig;
import org.leantrain.rag.LmPretrainer;
import org.leantrain.rag.Query;
import org.leantrain.rag.QueryExpansionPipeline;
import org.leantrain.rag.ReferenceBm25;
import org.leantrain.rag.RetrievalEvaluation;
import org.leantrain.rag.SamplingConfig;
import org.leantrain.rag.SyntheticWorld;
import org.leantrain.rag.TinyCausalLm;
import org.leantrain.rag.WordTokenizer;
import org.leantrain.rag.WorldConfig;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench moler}: domain-rag spec §8 — GRPO step cost with MSLF vs MMLF rollouts (calls, tokens, time),
 * the tiny LM's training step and batched generation against the same model in PyTorch, and BM25 query time
 * (Lucene vs the reference formula on the corpus; Lucene on 100k synthetic documents), and quality at equal compute
 * (CPT modes, GRPO vs Dr.GRPO).
 */
@Command(name = "moler", mixinStandardHelpOptions = true,
        description = "MoLER miniature costs: MSLF vs MMLF GRPO rollouts, LM train/generation vs PyTorch, BM25 query"
                + " time.")
public final class MolerBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--cache", defaultValue = "target/moler-cache", description = "model cache of leantrain moler"
            + " (stage 0 and CPT; default: ${DEFAULT-VALUE}); without a cached stage-0 model the cost measurements"
            + " train a short one")
    Path cache;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with torch for the peer (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--rounds", defaultValue = "3", description = "interleaved rounds of 2 GRPO steps per mode"
            + " (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--skip-quality", description = "skip the quality-at-equal-compute runs (CPT modes and GRPO"
            + " variants, rollout modes; about 14 min)")
    boolean skipQuality;

    @Option(names = "--grpo-peer", description = "also compare GRPO's learning with a PyTorch implementation of the"
            + " spec from the same MoL model (CPT, then --peer-draws GRPO runs in each; about 17 min for 3 draws)")
    boolean grpoPeer;

    @Option(names = "--peer-seed", defaultValue = "0", description = "world seed of --grpo-peer; its stage-0 and"
            + " MoL models come from --cache or are trained (about 10 min) and cached (default: ${DEFAULT-VALUE})")
    long peerSeed;

    @Option(names = "--peer-draws", defaultValue = "3", description = "GRPO runs per implementation for --grpo-peer"
            + " (default: ${DEFAULT-VALUE})")
    int peerDraws;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (peerDraws < 1) {
            throw new IllegalArgumentException("--peer-draws must be >= 1, got " + peerDraws);
        }
        int threads = run.threads(2);
        Path dir = run.start("bench-moler");
        Metrics metrics = new Metrics().put("threads", threads);
        System.out.println("moler bench (" + threads + " ND4J threads; PyTorch the same); results in " + dir);
        SyntheticWorld world = new SyntheticWorld(WorldConfig.quick(0));
        WordTokenizer tok = new WordTokenizer(world.vocabulary());
        Corpus corpus = world.domainCorpus();
        TinyCausalLm base = baseModel(world, tok, corpus);
        try (Bm25Index index = Bm25Index.of(corpus)) {
            QueryExpansionPipeline pipe = new QueryExpansionPipeline(tok, index, 3);
            rollouts(base, corpus, pipe, tok, metrics);
            retrieval(world, corpus, index, metrics);
        }
        lmThroughput(tok, threads, metrics);
        if (!skipQuality) {
            quality(dir, metrics);
        }
        if (grpoPeer) {
            DomainRagExperiment.MolStart start = DomainRagExperiment.quickMolStart(peerSeed, cache);
            MolerGrpoPeer.compare(start, peerSeed, peerDraws, 60, python, threads, dir, metrics);
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private TinyCausalLm baseModel(SyntheticWorld world, WordTokenizer tok, Corpus corpus) throws Exception {
        LmConfig lmConfig = LmConfig.quick(tok.size());
        TinyCausalLm base = new TinyCausalLm(lmConfig, DataType.FLOAT, new Rng(0));
        Path cached = cache.resolve(DomainRagExperiment.stage0Stem(corpus, lmConfig,
                DomainRagExperiment.Config.quick(0, cache).stage0Steps(), false) + ".bin");
        if (Files.exists(cached)) {
            base.load(cached);
            System.out.println("base model: " + cached);
        } else {
            System.out.println("no cached stage-0 model at " + cached + " (run leantrain moler first); training 300"
                    + " steps for the cost measurements");
            List<int[]> docs = new ArrayList<>();
            world.generalDocuments().forEach(d -> docs.add(tok.encode(Formats.document(d))));
            List<int[]> instr = new ArrayList<>();
            world.instructionExamples(new Rng(1)).forEach(s -> instr.add(tok.encode(s)));
            LmPretrainer.train(base, docs, instr, 300, 32, 1e-3, 0.01, 0.3, new Rng(3), "stage 0 (short)");
        }
        base.eval();
        return base;
    }

    private void rollouts(TinyCausalLm base, Corpus corpus, QueryExpansionPipeline pipe, WordTokenizer tok,
            Metrics metrics) {
        System.out.printf("%nGRPO step cost, P = 8 × G = 8 samples, n = 3 (interleaved rounds of 2 steps):%n");
        double[] seconds = new double[2];
        double[] rolloutSeconds = new double[2];
        long[] calls = new long[2];
        long[] tokens = new long[2];
        int steps = 0;
        for (int round = 0; round < rounds; round++) {
            for (FusionMode mode : FusionMode.values()) {
                int k = mode == FusionMode.MSLF ? 0 : 1;
                TinyCausalLm policy = base.copy();
                GrpoTrainer.RlLog log = GrpoTrainer.train(policy, corpus.trainQueries(), pipe, tok,
                        GrpoConfig.quick(GrpoObjective.Variant.GRPO).withSteps(2).withRolloutMode(mode),
                        new Rng(round), "rollouts " + mode);
                for (int s = 0; s < log.seconds().length; s++) {
                    seconds[k] += log.seconds()[s];
                    rolloutSeconds[k] += log.rolloutSeconds()[s];
                }
                calls[k] += log.lmCalls();
                tokens[k] += log.generatedTokens();
            }
            steps += 2;
        }
        double samples = 64.0 * steps;
        for (int k = 0; k < 2; k++) {
            System.out.printf("  %-5s %.2f s/step (rollouts %.2f s), %.1f LM calls per sample, %.0f generated tokens per"
                    + " step%n", k == 0 ? "MSLF" : "MMLF", seconds[k] / steps, rolloutSeconds[k] / steps,
                    calls[k] / samples, tokens[k] / (double) steps);
        }
        double ratio = seconds[1] / seconds[0];
        double rolloutRatio = rolloutSeconds[1] / rolloutSeconds[0];
        System.out.printf("  MMLF / MSLF: GRPO step time %.2f× (target ≥ 1.3; spec reference 1.46×), rollout time"
                + " %.2f× (target ≥ 1.4), generated tokens %.2f×%n", ratio, rolloutRatio, (double) tokens[1] / tokens[0]);
        metrics.put("mmlf_rollout_time_ratio", rolloutRatio);
        metrics.put("mslf_step_seconds", seconds[0] / steps).put("mmlf_step_seconds", seconds[1] / steps)
                .put("mslf_calls_per_sample", calls[0] / samples).put("mmlf_calls_per_sample", calls[1] / samples)
                .put("mslf_tokens_per_step", tokens[0] / (double) steps)
                .put("mmlf_tokens_per_step", tokens[1] / (double) steps).put("mslf_step_speedup", ratio);
    }

    /**
     * Quality at equal compute (spec §8): MoL, CE-only and CE-mix after the same CPT steps, each followed by the same
     * GRPO steps; GRPO vs Dr.GRPO from the same MoL model. Test-query recall, general perplexity, completion lengths.
     */
    private void quality(Path dir, Metrics metrics) throws Exception {
        System.out.printf("%nQuality at equal compute (quick configuration, seed 0: CPT 600 steps, GRPO 60 steps):%n");
        DomainRagExperiment.Results r = DomainRagExperiment.run(new DomainRagExperiment.Config(0, false, 3000, 600, 60,
                true, false, true, false, 0, cache));
        CsvTable table = new CsvTable("cpt_mode", "grpo", "general_ppl", "recall10_mslf", "recall10_mmlf",
                "ndcg10_mslf", "reward_first10", "reward_last10", "mqr_length_last10", "cqe_length_last10",
                "seconds_per_grpo_step");
        System.out.printf("%-24s %8s %10s %10s %10s %14s %12s %12s%n", "model", "gen PPL", "R@10 MSLF", "R@10 MMLF",
                "nDCG MSLF", "reward f→l", "MQR tokens", "CQE tokens");
        List<String> systems = List.of("CE-only", "CE-mix", "MoL", "CE-only+GRPO", "CE-mix+GRPO", "MoL+GRPO",
                "MoL+Dr.GRPO", DomainRagExperiment.MMLF_ROLLOUTS);
        for (String name : systems) {
            RetrievalEvaluation ms = DomainRagExperiment.find(r.evaluations(), name, "MSLF");
            RetrievalEvaluation mm = DomainRagExperiment.find(r.evaluations(), name, "MMLF");
            String start = name.substring(0, name.indexOf('+') < 0 ? name.length() : name.indexOf('+'));
            double ppl = r.perplexities().get("general_ppl_" + DomainRagExperiment.tag(name));
            GrpoTrainer.RlLog log = r.rlLogs().get(name);
            double[] tail = log == null ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                    : new double[] {Stats.meanOfFirst(log.meanReward(), 10), Stats.meanOfLast(log.meanReward(), 10),
                            Stats.meanOfLast(log.mqrLength(), 10), Stats.meanOfLast(log.cqeLength(), 10),
                            Stats.mean(log.seconds())};
            String rl = log == null ? String.format("%14s %12s %12s", "–", "–", "–")
                    : String.format("%6.3f→%6.3f %12.1f %12.1f", tail[0], tail[1], tail[2], tail[3]);
            System.out.printf("%-24s %8.2f %10.3f %10.3f %10.3f %s%n", name, ppl, ms.recall10(), mm.recall10(),
                    ms.ndcg10(), rl);
            int grpo = log == null ? 0 : name.contains("Dr.") ? 2 : name.contains("MMLF") ? 3 : 1;
            table.add(List.of("CE-only", "CE-mix", "MoL").indexOf(start), grpo, ppl, ms.recall10(), mm.recall10(),
                    ms.ndcg10(), tail[0], tail[1], tail[2], tail[3], tail[4]);
            String key = DomainRagExperiment.tag(name);
            metrics.put("quality_recall10_mslf_" + key, ms.recall10()).put("quality_recall10_mmlf_" + key,
                    mm.recall10()).put("quality_general_ppl_" + key, ppl);
            if (log != null) {
                metrics.put("quality_cqe_length_" + key, tail[3]);
            }
        }
        table.write(dir.resolve("quality.csv"));
        System.out.println("quality.csv codes: cpt_mode 0 = CE-only, 1 = CE-mix, 2 = MoL; grpo 0 = none, 1 = GRPO,"
                + " 2 = Dr.GRPO, 3 = GRPO on MMLF rollouts; lengths and rewards over the first / last 10 GRPO steps");
    }

    private void retrieval(SyntheticWorld world, Corpus corpus, Bm25Index index, Metrics metrics) {
        List<String> passages = new ArrayList<>();
        for (Query q : corpus.testQueries()) {
            passages.add(world.oracleMslfPassage(q, 3));
        }
        List<String> texts = corpus.documents().stream().map(Document::text).toList();
        ReferenceBm25 ref = new ReferenceBm25(index, texts, 1.2, 0.75);
        double lucene = Timing.medianMillis(3, 9, () -> passages.forEach(p -> index.search(p, 100))) / passages.size();
        double reference = Timing.medianMillis(2, 5, () -> passages.forEach(p -> ref.search(p, 100)))
                / passages.size();
        System.out.printf("%nBM25, passage-length queries (%d documents): Lucene %.3f ms/query, reference %.3f"
                + " ms/query (target < 1 ms)%n", texts.size(), lucene, reference);
        Rng rng = new Rng(9);
        List<String> big = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            big.add(texts.get(rng.nextInt(texts.size())) + " " + texts.get(rng.nextInt(texts.size())));
        }
        long t0 = System.nanoTime();
        try (Bm25Index large = new Bm25Index(big, Bm25Index.STOP_WORDS, 1.2, 0.75)) {
            double build = (System.nanoTime() - t0) / 1e9;
            double ms = Timing.medianMillis(2, 5, () -> passages.forEach(p -> large.search(p, 100))) / passages.size();
            System.out.printf("Lucene on 100,000 synthetic documents: %.2f ms/query (target < 20 ms), index built in"
                    + " %.1f s%n", ms, build);
            metrics.put("bm25_ms_per_query_100k", ms);
        }
        metrics.put("bm25_ms_per_query_lucene", lucene).put("bm25_ms_per_query_reference", reference);
    }

    private void lmThroughput(WordTokenizer tok, int threads, Metrics metrics) throws Exception {
        int vocab = tok.size();
        TinyCausalLm lm = new TinyCausalLm(LmConfig.quick(vocab), DataType.FLOAT, new Rng(0));
        Rng rng = new Rng(4);
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            int[] s = new int[30 + rng.nextInt(31)];
            for (int j = 0; j < s.length; j++) {
                s[j] = 8 + rng.nextInt(vocab - 8);
            }
            seqs.add(s);
        }
        org.leantrain.core.optim.Adam opt = org.leantrain.core.optim.Adam.adamW(lm.parameters(), 1e-3, 0.01);
        double trainMs = Timing.medianMillis(3, 15, () -> LmPretrainer.step(lm, opt, seqs));
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int[] p = new int[12];
            for (int j = 0; j < 12; j++) {
                p[j] = 8 + rng.nextInt(vocab - 8);
            }
            prompts.add(p);
        }
        // no <eos> id among the sampled range: every row generates all 16 tokens, as in the peer
        SamplingConfig sampling = new SamplingConfig(0.9, 0, 1.0, 16);
        double genMs = Timing.medianMillis(1, 5, () -> Generator.generate(lm, prompts, sampling, new Rng(5), -1,
                Generator.Decoding.RECOMPUTE));
        double cachedMs = Timing.medianMillis(1, 5, () -> Generator.generate(lm, prompts, sampling, new Rng(5), -1,
                Generator.Decoding.KV_CACHE));
        TorchPeer.Result torch = TorchPeer.run(python, "moler_lm_step.py", threads, 20, "--vocab",
                Integer.toString(vocab));
        System.out.printf("%ntiny LM (d 64, 2 layers, V %d): train step (32 × ≤ 60 tokens) Java %.1f ms; generation"
                + " (64 × 16 tokens) Java %.0f ms recomputing every prefix, %.0f ms with the KV cache (%.2f×)%n", vocab,
                trainMs, genMs, cachedMs, genMs / cachedMs);
        metrics.put("lm_train_ms_java", trainMs).put("lm_generate_ms_java", genMs)
                .put("lm_generate_cached_ms_java", cachedMs);
        if (torch.ok()) {
            double torchGen = torch.number("gen_ms");
            double torchCached = torch.number("gen_cached_ms");
            System.out.printf("PyTorch %s: train step %.1f ms → Java / PyTorch %.2f (target ≤ 3); generation %.0f ms →"
                            + " %.2f; with KV cache %.0f ms → %.2f%n", torch.version(), torch.msPerStep(),
                    trainMs / torch.msPerStep(), torchGen, genMs / torchGen, torchCached, cachedMs / torchCached);
            metrics.put("lm_train_ms_torch", torch.msPerStep()).put("lm_train_ratio_vs_torch",
                    trainMs / torch.msPerStep()).put("lm_generate_ms_torch", torchGen)
                    .put("lm_generate_ratio_vs_torch", genMs / torchGen)
                    .put("lm_generate_cached_ms_torch", torchCached)
                    .put("lm_generate_cached_ratio_vs_torch", cachedMs / torchCached);
        } else {
            System.out.println("PyTorch peer skipped: " + torch.problem());
            metrics.missing("lm_train_ratio_vs_torch");
        }
    }
}
