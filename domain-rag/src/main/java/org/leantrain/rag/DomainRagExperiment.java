package org.leantrain.rag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The reproduction of spec §7 (quick or full) in one place: world, tokenizer, index; stage 0 and the CE-only, CE-mix
 * and MoL continual pre-training (each model cached on disk, keyed by the world fingerprint and the settings, so an
 * interrupted run of the full configuration resumes after the last finished model); GRPO and Dr.GRPO on MoL, GRPO on
 * the base model; retrieval evaluations (raw, oracle, every model with MMLF and MSLF) and perplexity probes.
 */
public final class DomainRagExperiment {
    /**
     * Size (the quick or the full world and model of spec §7), step counts (quick: 3000 / 600 / 60; full: 10000 /
     * 2000 / 300) and switches: Dr.GRPO on MoL, GRPO on the base model (no CPT), the benchmark's ablations at equal
     * compute (GRPO after the CE-only and CE-mix models, and GRPO on MMLF rollouts), and the expansion-count sweep
     * (instruction data whose MQR prompts name n; MoL and MoL+GRPO evaluated at every n of {@link #SWEEP_COUNTS}),
     * and the rollout diagnostics of MoL and MoL+GRPO on the first {@code rolloutQueries} training queries (0: none;
     * {@link #ALL_QUERIES}: all of them; {@link RolloutDiagnostics}).
     */
    public record Config(long seed, boolean full, int stage0Steps, int cptSteps, int grpoSteps, boolean drGrpo,
            boolean grpoWithoutCpt, boolean ablations, boolean countSweep, int rolloutQueries, Path cacheDir) {
        public Config {
            if (stage0Steps < 1 || cptSteps < 1 || grpoSteps < 1) {
                throw new IllegalArgumentException("step counts must be ≥ 1: " + this);
            }
            if (rolloutQueries < 0) {
                throw new IllegalArgumentException("rollout diagnostics need ≥ 0 queries (0 = none): " + this);
            }
        }

        public static Config quick(long seed, Path cacheDir) {
            return new Config(seed, false, 3000, 600, 60, true, true, false, false, ALL_QUERIES, cacheDir);
        }

        public static Config full(long seed, Path cacheDir) {
            return new Config(seed, true, 10000, 2000, 300, true, true, false, false, ALL_QUERIES, cacheDir);
        }
    }

    /** {@link Config#rolloutQueries} for every training query. */
    public static final int ALL_QUERIES = Integer.MAX_VALUE;

    /** The sub-query counts of the spec's sweep (paper: MMLF recall roughly linear in log n, MSLF flat). */
    public static final List<Integer> SWEEP_COUNTS = List.of(1, 2, 3, 4, 6, 8);

    /** The systems the sweep evaluates at every n (besides the oracle passages). */
    public static final List<String> SWEEP_SYSTEMS = List.of("MoL", "MoL+GRPO");

    /**
     * Everything the report needs; {@code countSweep} maps each n of the sweep to its evaluations (oracle and
     * {@link #SWEEP_SYSTEMS}, MSLF and MMLF), empty unless the sweep was asked for; {@code rollouts} maps MoL and
     * MoL+GRPO to their rollout diagnostics per query type, empty unless asked for.
     */
    public record Results(List<RetrievalEvaluation> evaluations, Map<String, Double> perplexities,
            Map<String, GrpoTrainer.RlLog> rlLogs, Map<String, Double> seconds, Map<String, Integer> worldCounts,
            double[] stage0Loss, Map<Integer, List<RetrievalEvaluation>> countSweep,
            Map<String, List<RolloutDiagnostics.TypeStats>> rollouts) {}

    private DomainRagExperiment() {}

    public static Results run(Config cfg) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        SyntheticWorld world = new SyntheticWorld(cfg.full() ? WorldConfig.full(cfg.seed())
                : WorldConfig.quick(cfg.seed()));
        List<String> vocabulary = new ArrayList<>(world.vocabulary());
        if (cfg.countSweep()) {
            vocabulary.addAll(Formats.countWords());
        }
        WordTokenizer tok = new WordTokenizer(vocabulary);
        Corpus corpus = world.domainCorpus();
        TrainingData data = TrainingData.of(world, tok, cfg);
        List<int[]> generalDocs = data.generalDocs();
        List<int[]> instructions = data.instructions();
        List<int[]> domainDocs = data.domainDocs();
        Rng probeRng = new Rng(cfg.seed() + 2);
        List<int[]> generalProbe = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            generalProbe.add(generalDocs.get(probeRng.nextInt(generalDocs.size())));
            generalProbe.add(instructions.get(probeRng.nextInt(instructions.size())));
        }
        List<int[]> domainProbe = domainDocs.subList(0, Math.min(128, domainDocs.size()));

        LmConfig lmConfig = cfg.full() ? LmConfig.full(tok.size()) : LmConfig.quick(tok.size());
        Stage0 stage0 = stage0(cfg, corpus, lmConfig, data, seconds);
        TinyCausalLm base = stage0.base();
        double[] stage0Loss = stage0.loss();

        Map<String, Double> ppl = new LinkedHashMap<>();
        ppl.put("general_ppl_base", Perplexity.of(base, generalProbe));
        ppl.put("domain_ppl_base", Perplexity.of(base, domainProbe));

        Map<MolTrainer.CptMode, TinyCausalLm> cpt = new LinkedHashMap<>();
        // the order of the earlier runs and reports: the baselines first
        for (MolTrainer.CptMode mode : List.of(MolTrainer.CptMode.CE_ONLY, MolTrainer.CptMode.CE_MIX,
                MolTrainer.CptMode.MOL)) {
            TinyCausalLm model = cpt(mode, stage0, data, cfg, seconds);
            String tag = mode.name().toLowerCase();
            ppl.put("general_ppl_" + tag, Perplexity.of(model, generalProbe));
            ppl.put("domain_ppl_" + tag, Perplexity.of(model, domainProbe));
            cpt.put(mode, model);
        }

        List<RetrievalEvaluation> evals = new ArrayList<>();
        Map<String, GrpoTrainer.RlLog> logs = new LinkedHashMap<>();
        Map<Integer, List<RetrievalEvaluation>> sweep = new LinkedHashMap<>();
        Map<String, List<RolloutDiagnostics.TypeStats>> rollouts = new LinkedHashMap<>();
        try (Bm25Index index = Bm25Index.of(corpus)) {
            QueryExpansionPipeline pipe = cfg.countSweep() ? QueryExpansionPipeline.namingCount(tok, index, 3)
                    : new QueryExpansionPipeline(tok, index, 3);
            List<Query> test = corpus.testQueries();
            long evalSeed = cfg.seed() + 100;
            evals.add(RetrievalEvaluation.raw(index, test));
            evals.add(RetrievalEvaluation.oracle(world, pipe, test, FusionMode.MSLF));
            evals.add(RetrievalEvaluation.oracle(world, pipe, test, FusionMode.MMLF));
            Map<String, TinyCausalLm> starts = new LinkedHashMap<>();
            starts.put("base", base);
            starts.put("CE-only", cpt.get(MolTrainer.CptMode.CE_ONLY));
            starts.put("CE-mix", cpt.get(MolTrainer.CptMode.CE_MIX));
            starts.put("MoL", cpt.get(MolTrainer.CptMode.MOL));
            starts.forEach((name, lm) -> evaluate(name, lm, tok, pipe, world, test, evalSeed, evals));
            Map<String, TinyCausalLm> models = new LinkedHashMap<>(starts);
            List<GrpoRun> runs = new ArrayList<>(List.of(new GrpoRun("MoL+GRPO", "MoL", GrpoObjective.Variant.GRPO,
                    FusionMode.MSLF)));
            if (cfg.drGrpo()) {
                runs.add(new GrpoRun("MoL+Dr.GRPO", "MoL", GrpoObjective.Variant.DR_GRPO, FusionMode.MSLF));
            }
            if (cfg.ablations()) {
                runs.add(new GrpoRun("CE-only+GRPO", "CE-only", GrpoObjective.Variant.GRPO, FusionMode.MSLF));
                runs.add(new GrpoRun("CE-mix+GRPO", "CE-mix", GrpoObjective.Variant.GRPO, FusionMode.MSLF));
                runs.add(new GrpoRun(MMLF_ROLLOUTS, "MoL", GrpoObjective.Variant.GRPO, FusionMode.MMLF));
            }
            if (cfg.grpoWithoutCpt()) {
                runs.add(new GrpoRun("base+GRPO", "base", GrpoObjective.Variant.GRPO, FusionMode.MSLF));
            }
            for (GrpoRun run : runs) {
                long t = System.nanoTime();
                TinyCausalLm policy = starts.get(run.start()).copy();
                logs.put(run.name(), GrpoTrainer.train(policy, corpus.trainQueries(), pipe, tok,
                        GrpoConfig.quick(run.variant()).withSteps(cfg.grpoSteps()).withRolloutMode(run.rollouts()),
                        new Rng(cfg.seed() + 5),
                        run.name()));
                seconds.put(run.name(), (System.nanoTime() - t) / 1e9);
                evaluate(run.name(), policy, tok, pipe, world, test, evalSeed, evals);
                ppl.put("general_ppl_" + tag(run.name()), Perplexity.of(policy, generalProbe));
                models.put(run.name(), policy);
            }
            if (cfg.rolloutQueries() > 0) {
                long t = System.nanoTime();
                GrpoConfig rolloutCfg = GrpoConfig.quick(GrpoObjective.Variant.GRPO);
                List<Query> train = corpus.trainQueries();
                List<Query> probed = train.subList(0, Math.min(train.size(), cfg.rolloutQueries()));
                for (String system : List.of("MoL", "MoL+GRPO")) {
                    // the same rollout seed for both models, so their differences are not sampling noise
                    rollouts.put(system, RolloutDiagnostics.measure(models.get(system), tok, pipe, world,
                            probed, rolloutCfg, new Rng(cfg.seed() + 7)));
                }
                seconds.put("rollout_diagnostics", (System.nanoTime() - t) / 1e9);
            }
            if (cfg.countSweep()) {
                long t = System.nanoTime();
                for (int n : SWEEP_COUNTS) {
                    QueryExpansionPipeline pipeN = pipe.withSubQueryCount(n);
                    List<RetrievalEvaluation> atN = new ArrayList<>();
                    for (FusionMode m : FusionMode.values()) {
                        atN.add(RetrievalEvaluation.oracle(world, pipeN, test, m));
                    }
                    for (String system : SWEEP_SYSTEMS) {
                        evaluate(system, models.get(system), tok, pipeN, world, test, evalSeed, atN);
                    }
                    sweep.put(n, atN);
                    System.out.printf("count sweep: n = %d done%n", n);
                }
                seconds.put("count_sweep", (System.nanoTime() - t) / 1e9);
            }
        }
        return new Results(evals, ppl, logs, seconds, world.counts(), stage0Loss, sweep, rollouts);
    }

    /** The encoded sequences of every stage: general documents, instruction examples, domain documents. */
    private record TrainingData(List<int[]> generalDocs, List<int[]> instructions, List<int[]> domainDocs) {
        static TrainingData of(SyntheticWorld world, WordTokenizer tok, Config cfg) {
            Rng instructionRng = new Rng(cfg.seed() + 1);
            return new TrainingData(encode(tok, world.generalDocuments().stream().map(Formats::document).toList()),
                    encode(tok, cfg.countSweep() ? world.countedInstructionExamples(instructionRng)
                            : world.instructionExamples(instructionRng)),
                    encode(tok, world.domainCorpus().documents().stream().map(d -> Formats.document(d.text()))
                            .toList()));
        }
    }

    /**
     * The base model, its stage-0 loss curve (empty when it came from the cache) and the stem of its cache file name,
     * which the names of the models trained from it extend.
     */
    private record Stage0(TinyCausalLm base, double[] loss, String cacheStem) {}

    /**
     * Stage 0 from the cache, keyed by the world fingerprint and the settings, or trained and cached (its time then
     * recorded in {@code seconds}).
     */
    private static Stage0 stage0(Config cfg, Corpus corpus, LmConfig lmConfig, TrainingData data,
            Map<String, Double> seconds) throws IOException {
        double[][] loss = {new double[0]};
        TinyCausalLm base = new TinyCausalLm(lmConfig, DataType.FLOAT, new Rng(cfg.seed()));
        String stem = stage0Stem(corpus, lmConfig, cfg.stage0Steps(), cfg.countSweep());
        long t = System.nanoTime();
        if (!loadOrTrain(base, cfg.cacheDir().resolve(stem + ".bin"), "stage 0", () -> loss[0] = LmPretrainer.train(
                base, data.generalDocs(), data.instructions(), cfg.stage0Steps(), 32, 1e-3, 0.01, 0.3,
                new Rng(cfg.seed() + 3), "stage 0 (base model)"))) {
            seconds.put("stage0", (System.nanoTime() - t) / 1e9);
        }
        base.eval();
        return new Stage0(base, loss[0], stem);
    }

    /**
     * The cache file name, without ".bin", of a stage-0 model: the world's fingerprint, the model size, the steps and
     * whether the instruction data name the sub-query count. The CPT models trained from it extend this name.
     */
    public static String stage0Stem(Corpus corpus, LmConfig lmConfig, int steps, boolean counted) {
        return "stage0-" + corpus.fingerprint().substring(0, 16) + "-" + lmConfig.dModel() + "x" + lmConfig.layers()
                + "-" + steps + (counted ? "-counted" : "");
    }

    /**
     * Loads {@code model} from {@code file} if it exists; otherwise runs {@code train} on it and saves it there. The
     * file is written under a temporary name and then renamed, so a run killed while saving leaves no truncated model
     * behind. Returns whether the model came from the file.
     */
    static boolean loadOrTrain(TinyCausalLm model, Path file, String what, Runnable train) throws IOException {
        if (Files.exists(file)) {
            model.load(file);
            System.out.println(what + ": loaded " + file);
            return true;
        }
        train.run();
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        model.save(partial);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(what + ": saved " + file);
        return false;
    }

    /** A seed's world, its tokenizer and the MoL model that GRPO starts from. */
    public record MolStart(SyntheticWorld world, WordTokenizer tokenizer, TinyCausalLm mol) {}

    /**
     * The quick configuration's MoL model for a seed exactly as {@link #run} builds it (stage 0 from the cache or
     * trained and cached, then MoL CPT), for GRPO comparisons outside the experiment.
     */
    public static MolStart quickMolStart(long seed, Path cacheDir) throws IOException {
        Config cfg = Config.quick(seed, cacheDir);
        SyntheticWorld world = new SyntheticWorld(WorldConfig.quick(seed));
        WordTokenizer tok = new WordTokenizer(new ArrayList<>(world.vocabulary()));
        Corpus corpus = world.domainCorpus();
        TrainingData data = TrainingData.of(world, tok, cfg);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Stage0 stage0 = stage0(cfg, corpus, LmConfig.quick(tok.size()), data, seconds);
        return new MolStart(world, tok, cpt(MolTrainer.CptMode.MOL, stage0, data, cfg, seconds));
    }

    /** GRPO (or Dr.GRPO) from one of the starting models, on MSLF or MMLF rollouts. */
    private record GrpoRun(String name, String start, GrpoObjective.Variant variant, FusionMode rollouts) {}

    /** The system trained by GRPO on MMLF rollouts (the paper trains on MSLF rollouts only). */
    public static final String MMLF_ROLLOUTS = "MoL+GRPO(MMLF rollouts)";

    /** A system's name as a metrics key: "MoL+Dr.GRPO" → "mol_drgrpo", "MoL+GRPO(MMLF rollouts)" → "mol_grpo_mmlf". */
    public static String tag(String system) {
        return system.toLowerCase().replace(" rollouts)", "").replace("(", "_").replace("+", "_").replace(".", "")
                .replace("-", "_").replace(" ", "_");
    }

    private static void evaluate(String name, TinyCausalLm lm, WordTokenizer tok, QueryExpansionPipeline pipe,
            SyntheticWorld world, List<Query> test, long seed, List<RetrievalEvaluation> evals) {
        for (FusionMode m : FusionMode.values()) {
            evals.add(RetrievalEvaluation.expanded(name, TextGenerator.of(lm, tok), pipe, world, test, m, seed));
        }
    }

    /**
     * Continual pre-training of a copy of the base, from the cache if an earlier run trained it, or trained and cached
     * (its time then recorded in {@code seconds} as "cpt_" + the mode in lower case).
     */
    private static TinyCausalLm cpt(MolTrainer.CptMode mode, Stage0 stage0, TrainingData data, Config cfg,
            Map<String, Double> seconds) throws IOException {
        TinyCausalLm model = stage0.base().copy();
        String tag = mode.name().toLowerCase();
        Path file = cfg.cacheDir().resolve(stage0.cacheStem() + "-cpt-" + tag + "-" + cfg.cptSteps() + ".bin");
        long t = System.nanoTime();
        if (!loadOrTrain(model, file, "CPT " + mode, () -> MolTrainer.train(model, stage0.base(), data.domainDocs(),
                data.generalDocs(), data.instructions(), MolTrainer.MolConfig.quick(mode).withSteps(cfg.cptSteps()),
                new Rng(cfg.seed() + 4), "CPT " + mode))) {
            seconds.put("cpt_" + tag, (System.nanoTime() - t) / 1e9);
        }
        return model;
    }

    static List<int[]> encode(WordTokenizer tok, List<String> texts) {
        List<int[]> out = new ArrayList<>();
        for (String s : texts) {
            out.add(tok.encode(s));
        }
        return out;
    }

    /** The evaluation of a system in a fusion mode ("-" for raw), or null. */
    public static RetrievalEvaluation find(List<RetrievalEvaluation> evals, String system, String fusion) {
        return evals.stream().filter(e -> e.system().equals(system) && e.fusion().equals(fusion)).findFirst()
                .orElse(null);
    }
}
