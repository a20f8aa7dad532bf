package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Stats;
import org.leantrain.rag.DomainRagExperiment;
import org.leantrain.rag.GrpoTrainer;
import org.leantrain.rag.RetrievalEvaluation;
import org.leantrain.rag.RolloutDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leantrain moler}: MoL continual pre-training + GRPO query expansion on the synthetic domain (spec §7 quick). */
@Command(name = "moler", mixinStandardHelpOptions = true,
        description = "MoLER in miniature: a tiny causal LM pre-trained on a general synthetic world, continually"
                + " pre-trained on a private domain corpus with a mixture of losses (CE + KL to the base) or CE only,"
                + " then tuned by GRPO to expand queries for BM25 (Lucene) retrieval; MMLF and MSLF fusion.")
public final class MolerCommand implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--seed", defaultValue = "0", description = "world and training seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--full", description = "the spec's full configuration: 200 domain / 1,000 general entities, d 128,"
            + " 4 layers; steps 10000 / 2000 / 300 unless given (hours on 2 cores; the stage-0 and CPT models are"
            + " cached, so a rerun of an interrupted run resumes after the last one finished)")
    boolean full;

    @Option(names = "--stage0-steps", description = "base-model steps (default: 3000, full 10000)")
    Integer stage0Steps;

    @Option(names = "--cpt-steps", description = "continual pre-training steps (default: 600, full 2000)")
    Integer cptSteps;

    @Option(names = "--grpo-steps", description = "GRPO steps (default: 60, full 300)")
    Integer grpoSteps;

    @Option(names = "--cache", defaultValue = "target/moler-cache", description = "where the stage-0 and CPT models"
            + " are cached, keyed by the world and the step counts (default: ${DEFAULT-VALUE})")
    Path cache;

    @Option(names = "--no-dr-grpo", description = "skip the Dr.GRPO run")
    boolean noDrGrpo;

    @Option(names = "--no-base-grpo", description = "skip GRPO on the base model (no CPT)")
    boolean noBaseGrpo;

    @Option(names = "--count-sweep", description = "the expansion-count sweep: instruction data whose MQR prompts name"
            + " the number of sub-queries (a separate stage-0 model), then MoL and MoL+GRPO evaluated at"
            + " n = 1, 2, 3, 4, 6, 8; writes expansion_counts.csv / .png")
    boolean countSweep;

    @Option(names = "--rollout-queries", description = "rollout diagnostics on the first N training queries (default:"
            + " all; 0 skips them): G = 8 GRPO rollouts each under MoL and MoL+GRPO, statistics per query type in"
            + " rollouts.csv")
    Integer rolloutQueries;

    @Override
    public Integer call() throws Exception {
        DomainRagExperiment.Config preset = full ? DomainRagExperiment.Config.full(seed, cache)
                : DomainRagExperiment.Config.quick(seed, cache);
        int s0 = stage0Steps != null ? stage0Steps : preset.stage0Steps();
        int cpt = cptSteps != null ? cptSteps : preset.cptSteps();
        int grpo = grpoSteps != null ? grpoSteps : preset.grpoSteps();
        if (s0 < 1 || cpt < 1 || grpo < 1) {
            throw new IllegalArgumentException("--stage0-steps, --cpt-steps and --grpo-steps must be >= 1");
        }
        if (rolloutQueries != null && rolloutQueries < 0) {
            throw new IllegalArgumentException("--rollout-queries must be >= 0 (0 skips the diagnostics), got "
                    + rolloutQueries);
        }
        run.threads(2);
        Path dir = run.start("moler");
        System.out.println("moler: " + (full ? "full" : "quick") + " configuration, results in " + dir
                + " (model cache: " + cache.toAbsolutePath() + ")");
        DomainRagExperiment.Results r = DomainRagExperiment.run(new DomainRagExperiment.Config(seed, full, s0, cpt,
                grpo, !noDrGrpo, !noBaseGrpo, false, countSweep,
                rolloutQueries != null ? rolloutQueries : DomainRagExperiment.ALL_QUERIES, cache));
        System.out.println("\nworld: " + r.worldCounts());
        System.out.printf("%n%-18s %-6s %7s %8s %7s %10s %10s %7s %9s %9s%n", "system", "fusion", "R@10", "nDCG@10",
                "R@20", "LM calls/q", "tokens/q", "facets", "entity ✓", "entity ✗");
        CsvTable table = new CsvTable("system", "fusion", "recall10", "ndcg10", "recall20", "lm_calls_per_query",
                "tokens_per_query", "facet_recall", "right_entity_passages", "wrong_entity_passages");
        List<String> systems = new ArrayList<>();
        for (RetrievalEvaluation e : r.evaluations()) {
            System.out.printf("%-18s %-6s %7.3f %8.3f %7.3f %10.1f %10.1f %7.3f %9.3f %9.3f%n", e.system(), e.fusion(),
                    e.recall10(), e.ndcg10(), e.recall20(), e.lmCallsPerQuery(), e.tokensPerQuery(), e.facetRecall(),
                    e.rightEntityPassages(), e.wrongEntityPassages());
            table.add(code(systems, e.system()), fusionCode(e.fusion()), e.recall10(), e.ndcg10(), e.recall20(),
                    e.lmCallsPerQuery(), e.tokensPerQuery(), e.facetRecall(), e.rightEntityPassages(),
                    e.wrongEntityPassages());
        }
        System.out.println("facets: share of the true facets (entity, its two conditions) among the sub-queries;"
                + " entity ✓ / ✗: share of passages naming the query's entity / another entity of either world");
        writeExamples(dir.resolve("expansions.txt"), r.evaluations());
        table.write(dir.resolve("retrieval.csv"));
        System.out.println("system codes in retrieval.csv: " + codes(systems) + "; fusion 0 = none, 1 = MSLF, 2 = MMLF");
        System.out.println("\nperplexities: " + fmt(r.perplexities()));
        System.out.println("seconds (stages trained in this run): " + fmt(r.seconds()));

        Metrics m = new Metrics();
        putRecall(m, "recall10_raw", r, "raw query", "-");
        putRecall(m, "recall10_mol_mmlf", r, "MoL", "MMLF");
        putRecall(m, "recall10_mol_mslf", r, "MoL", "MSLF");
        putRecall(m, "recall10_mol_grpo_mmlf", r, "MoL+GRPO", "MMLF");
        putRecall(m, "recall10_mol_grpo_mslf", r, "MoL+GRPO", "MSLF");
        putRecall(m, "recall10_ce_only_mmlf", r, "CE-only", "MMLF");
        putRecall(m, "recall10_ce_mix_mmlf", r, "CE-mix", "MMLF");
        putRecall(m, "recall10_base_mmlf", r, "base", "MMLF");
        putRecall(m, "recall10_base_grpo_mmlf", r, "base+GRPO", "MMLF");
        putRecall(m, "recall10_mol_drgrpo_mslf", r, "MoL+Dr.GRPO", "MSLF");
        putRecall(m, "recall10_oracle_mslf", r, "oracle passages", "MSLF");
        for (String system : List.of("MoL", "MoL+GRPO")) {
            for (String fusion : List.of("MSLF", "MMLF")) {
                RetrievalEvaluation e = DomainRagExperiment.find(r.evaluations(), system, fusion);
                String key = DomainRagExperiment.tag(system) + "_" + fusion.toLowerCase();
                m.put("facet_recall_" + key, e.facetRecall()).put("wrong_entity_passages_" + key,
                        e.wrongEntityPassages());
            }
        }
        m.put("ndcg10_raw", DomainRagExperiment.find(r.evaluations(), "raw query", "-").ndcg10());
        RetrievalEvaluation best = DomainRagExperiment.find(r.evaluations(), "MoL+GRPO", "MSLF");
        m.put("ndcg10_mol_grpo_mslf", best.ndcg10());
        r.perplexities().forEach(m::put);
        r.seconds().forEach((k, v) -> m.put("seconds_" + DomainRagExperiment.tag(k), v));

        CsvTable rewards = new CsvTable("run", "step", "mean_reward", "mean_kl", "zero_variance_fraction",
                "mqr_length", "cqe_length", "seconds");
        Map<String, double[][]> curves = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>(r.rlLogs().keySet());
        for (Map.Entry<String, GrpoTrainer.RlLog> e : r.rlLogs().entrySet()) {
            GrpoTrainer.RlLog log = e.getValue();
            double[] steps = new double[log.meanReward().length];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = i + 1;
                rewards.add(runs.indexOf(e.getKey()), i + 1, log.meanReward()[i], log.meanKl()[i],
                        log.zeroVarianceFraction()[i], log.mqrLength()[i], log.cqeLength()[i], log.seconds()[i]);
            }
            curves.put(e.getKey(), new double[][] {steps, movingAverage(log.meanReward(), 5)});
            double first = Stats.meanOfFirst(log.meanReward(), 10);
            double last = Stats.meanOfLast(log.meanReward(), 10);
            System.out.printf("%s training reward (R@10, MSLF, mean of first / last 10 steps): %.3f → %.3f; %.2f s/step%n",
                    e.getKey(), first, last, Stats.mean(log.seconds()));
            String key = DomainRagExperiment.tag(e.getKey());
            m.put("reward_first10_" + key, first).put("reward_last10_" + key, last);
        }
        rewards.write(dir.resolve("grpo_rewards.csv"));
        System.out.println("run codes in grpo_rewards.csv: " + codes(runs));
        if (!curves.isEmpty()) {
            Plots.lines(dir.resolve("grpo_reward.png"), "GRPO training reward (Recall@10 of the MSLF list, 5-step mean)",
                    "step", "mean reward", curves, false);
        }
        Map<String, double[]> bars = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        List<Double> mslf = new ArrayList<>();
        List<Double> mmlf = new ArrayList<>();
        for (String s : systems) {
            cats.add(s);
            RetrievalEvaluation a = DomainRagExperiment.find(r.evaluations(), s, "MSLF");
            RetrievalEvaluation b = DomainRagExperiment.find(r.evaluations(), s, "MMLF");
            RetrievalEvaluation raw = DomainRagExperiment.find(r.evaluations(), s, "-");
            mslf.add(a != null ? a.recall10() : raw != null ? raw.recall10() : 0);
            mmlf.add(b != null ? b.recall10() : raw != null ? raw.recall10() : 0);
        }
        bars.put("MSLF", mslf.stream().mapToDouble(Double::doubleValue).toArray());
        bars.put("MMLF", mmlf.stream().mapToDouble(Double::doubleValue).toArray());
        Plots.bars(dir.resolve("recall10.png"), "Recall@10 on the test queries", "R@10", cats, bars);
        if (!r.rollouts().isEmpty()) {
            writeRollouts(dir, r.rollouts(), m);
        }
        successReport(r);
        if (countSweep) {
            writeCountSweep(dir, r.countSweep(), m);
        }
        System.out.println("metrics: " + m.write(dir));
        return 0;
    }

    private static void successReport(DomainRagExperiment.Results r) {
        Map<String, Double> p = r.perplexities();
        double r10mol = DomainRagExperiment.find(r.evaluations(), "MoL", "MMLF").recall10();
        double r10ce = DomainRagExperiment.find(r.evaluations(), "CE-only", "MMLF").recall10();
        double r10mix = DomainRagExperiment.find(r.evaluations(), "CE-mix", "MMLF").recall10();
        RetrievalEvaluation gMm = DomainRagExperiment.find(r.evaluations(), "MoL+GRPO", "MMLF");
        RetrievalEvaluation gMs = DomainRagExperiment.find(r.evaluations(), "MoL+GRPO", "MSLF");
        RetrievalEvaluation molMs = DomainRagExperiment.find(r.evaluations(), "MoL", "MSLF");
        RetrievalEvaluation raw = DomainRagExperiment.find(r.evaluations(), "raw query", "-");
        RetrievalEvaluation baseGrpo = DomainRagExperiment.find(r.evaluations(), "base+GRPO", "MMLF");
        System.out.println("\nsuccess criteria (spec §7):");
        System.out.printf("(ii) general PPL MoL %.2f ≤ 1.1 × base %.2f: %s; CE-only %.2f ≥ 3 × base: %s%n",
                p.get("general_ppl_mol"), p.get("general_ppl_base"), ok(p.get("general_ppl_mol") <= 1.1
                        * p.get("general_ppl_base")), p.get("general_ppl_ce_only"),
                ok(p.get("general_ppl_ce_only") >= 3 * p.get("general_ppl_base")));
        System.out.printf("(iii) domain PPL base %.2f → MoL %.2f (≥ 5× lower: %s)%n", p.get("domain_ppl_base"),
                p.get("domain_ppl_mol"), ok(p.get("domain_ppl_base") >= 5 * p.get("domain_ppl_mol")));
        System.out.printf("(iv) MoL − CE-only R@10 with MMLF: %+.3f (≥ +0.05: %s)%n", r10mol - r10ce,
                ok(r10mol - r10ce >= 0.05));
        System.out.printf("     (baseline CE-mix: general PPL %.2f, MMLF R@10 %.3f; MoL − CE-mix %+.3f)%n",
                p.get("general_ppl_ce_mix"), r10mix, r10mol - r10mix);
        GrpoTrainer.RlLog log = r.rlLogs().get("MoL+GRPO");
        if (log != null) {
            double gain = Stats.meanOfLast(log.meanReward(), 10)
                    - Stats.meanOfFirst(log.meanReward(), 10);
            System.out.printf("(v) GRPO training reward gain %+.3f (≥ 0.08: %s); MoL+GRPO − MoL R@10: MMLF %+.3f, MSLF"
                            + " %+.3f (≥ +0.05 both: %s)%n", gain, ok(gain >= 0.08), gMm.recall10() - r10mol,
                    gMs.recall10() - molMs.recall10(),
                    ok(gMm.recall10() - r10mol >= 0.05 && gMs.recall10() - molMs.recall10() >= 0.05));
            if (!r.rollouts().isEmpty()) {
                double before = RolloutDiagnostics.meanReward(r.rollouts().get("MoL"));
                double after = RolloutDiagnostics.meanReward(r.rollouts().get("MoL+GRPO"));
                System.out.printf("    (the same gain measured before / after on the rollout-diagnostics queries,"
                        + " one rollout seed: %.3f → %.3f, %+.3f)%n", before, after, after - before);
            }
            System.out.printf("(vi) MoL+GRPO MSLF vs raw query: R@10 %+.3f (≥ 0.15: %s), nDCG@10 %+.3f (≥ 0.10: %s)%n",
                    gMs.recall10() - raw.recall10(), ok(gMs.recall10() - raw.recall10() >= 0.15),
                    gMs.ndcg10() - raw.ndcg10(), ok(gMs.ndcg10() - raw.ndcg10() >= 0.10));
            if (baseGrpo != null) {
                System.out.printf("(vii) GRPO without CPT, MMLF R@10 %.3f < MoL+GRPO %.3f: %s%n", baseGrpo.recall10(),
                        gMm.recall10(), ok(baseGrpo.recall10() < gMm.recall10()));
            }
        }
    }

    /**
     * The rollout diagnostics: a table, {@code rollouts.csv}, and metrics {@code rollout_reward_<system>_<type>},
     * {@code rollout_zero_variance_<system>_<type>} and {@code rollout_reward_gain} (MoL → MoL+GRPO, all queries).
     */
    private static void writeRollouts(Path dir, Map<String, List<RolloutDiagnostics.TypeStats>> rollouts, Metrics m)
            throws IOException {
        System.out.printf("%nrollout diagnostics (training queries, G = 8 GRPO rollouts each, the same seed for both"
                + " models):%n%-10s %-5s %7s %7s %10s %11s %10s %7s%n", "system", "type", "queries", "reward",
                "zero-var", "distinct/G", "MQR share", "facets");
        CsvTable table = new CsvTable("system", "type", "queries", "reward", "zero_variance_groups",
                "distinct_subquery_lists", "subquery_share_of_variance", "facet_recall");
        List<String> systems = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, List<RolloutDiagnostics.TypeStats>> e : rollouts.entrySet()) {
            for (RolloutDiagnostics.TypeStats t : e.getValue()) {
                System.out.printf("%-10s %-5s %7d %7.3f %10.2f %11.2f %10.2f %7.3f%n", e.getKey(), t.type(),
                        t.queries(), t.reward(), t.zeroVarianceGroups(), t.distinctSubQueryLists(),
                        t.subQueryShareOfVariance(), t.facetRecall());
                table.add(code(systems, e.getKey()), code(types, t.type()), t.queries(), t.reward(),
                        t.zeroVarianceGroups(), t.distinctSubQueryLists(), t.subQueryShareOfVariance(), t.facetRecall());
                String key = DomainRagExperiment.tag(e.getKey()) + "_" + t.type();
                m.put("rollout_reward_" + key, t.reward()).put("rollout_zero_variance_" + key, t.zeroVarianceGroups());
            }
        }
        m.put("rollout_reward_gain", RolloutDiagnostics.meanReward(rollouts.get("MoL+GRPO"))
                - RolloutDiagnostics.meanReward(rollouts.get("MoL")));
        System.out.println("zero-var: share of groups whose G rewards are equal (no advantage); MQR share: share of the"
                + " within-group reward variance between distinct sub-query lists (the signal the MQR tokens get)");
        table.write(dir.resolve("rollouts.csv"));
        System.out.println("system codes in rollouts.csv: " + codes(systems) + "; type codes: " + codes(types));
    }

    /**
     * The expansion-count sweep: a table, {@code expansion_counts.csv}, R@10 against log₂ n in
     * {@code expansion_counts.png}, and metrics {@code recall10_<system>_<fusion>_n<n>}.
     */
    private static void writeCountSweep(Path dir, Map<Integer, List<RetrievalEvaluation>> sweep, Metrics m)
            throws IOException {
        System.out.printf("%nexpansion-count sweep (MQR prompts name n; GRPO trained at n = 3):%n");
        System.out.printf("%-16s %-6s %3s %7s %8s %7s %10s %10s%n", "system", "fusion", "n", "R@10", "nDCG@10", "R@20",
                "LM calls/q", "tokens/q");
        CsvTable table = new CsvTable("system", "fusion", "n", "recall10", "ndcg10", "recall20", "lm_calls_per_query",
                "tokens_per_query");
        List<String> systems = new ArrayList<>();
        Map<String, double[][]> curves = new LinkedHashMap<>();
        int column = 0;
        for (Map.Entry<Integer, List<RetrievalEvaluation>> atN : sweep.entrySet()) {
            int n = atN.getKey();
            for (RetrievalEvaluation e : atN.getValue()) {
                System.out.printf("%-16s %-6s %3d %7.3f %8.3f %7.3f %10.1f %10.1f%n", e.system(), e.fusion(), n,
                        e.recall10(), e.ndcg10(), e.recall20(), e.lmCallsPerQuery(), e.tokensPerQuery());
                table.add(code(systems, e.system()), fusionCode(e.fusion()), n, e.recall10(), e.ndcg10(),
                        e.recall20(), e.lmCallsPerQuery(), e.tokensPerQuery());
                double[][] curve = curves.computeIfAbsent(e.system() + " " + e.fusion(),
                        k -> new double[2][sweep.size()]);
                curve[0][column] = Math.log(n) / Math.log(2);
                curve[1][column] = e.recall10();
                m.put("recall10_" + DomainRagExperiment.tag(e.system()) + "_" + e.fusion().toLowerCase() + "_n" + n,
                        e.recall10());
            }
            column++;
        }
        table.write(dir.resolve("expansion_counts.csv"));
        System.out.println("system codes in expansion_counts.csv: " + codes(systems) + "; fusion 1 = MSLF, 2 = MMLF");
        Plots.lines(dir.resolve("expansion_counts.png"), "Recall@10 against the number of sub-queries n",
                "log2 n (n = " + sweep.keySet() + ")", "R@10", curves, false);
    }

    /** The first test queries' sub-queries and passages of every model, to read what the expansions say. */
    private static void writeExamples(Path file, List<RetrievalEvaluation> evaluations) throws IOException {
        StringBuilder out = new StringBuilder();
        for (RetrievalEvaluation e : evaluations) {
            for (RetrievalEvaluation.Example x : e.examples()) {
                out.append(e.system()).append(" / ").append(e.fusion()).append(" | ").append(x.query())
                        .append(" | true facets: ").append(String.join(" ; ", x.facets())).append('\n')
                        .append("  sub-queries: ").append(String.join(" ; ", x.subQueries())).append('\n');
                for (String p : x.passages()) {
                    out.append("  passage: ").append(p).append('\n');
                }
            }
        }
        Files.writeString(file, out);
    }

    private static void putRecall(Metrics m, String key, DomainRagExperiment.Results r, String system, String fusion) {
        RetrievalEvaluation e = DomainRagExperiment.find(r.evaluations(), system, fusion);
        if (e == null) {
            m.missing(key);
        } else {
            m.put(key, e.recall10());
        }
    }

    private static double[] movingAverage(double[] v, int w) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Stats.mean(v, i - w + 1, i + 1);
        }
        return out;
    }

    /** A name's number in a CSV column: its index in {@code names}, which it joins when new. */
    private static int code(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
        return names.indexOf(name);
    }

    /** The fusion column of the CSVs: 0 = none (raw query), 1 = MSLF, 2 = MMLF. */
    private static int fusionCode(String fusion) {
        return fusion.equals("MSLF") ? 1 : fusion.equals("MMLF") ? 2 : 0;
    }

    private static String codes(List<String> names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(i + " = " + names.get(i));
        }
        return String.join(", ", out);
    }

    private static String fmt(Map<String, Double> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + String.format("%.2f", v)));
        return String.join(", ", parts);
    }

    private static String ok(boolean b) {
        return b ? "yes" : "NO";
    }
}
