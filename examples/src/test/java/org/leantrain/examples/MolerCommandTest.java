package org.leantrain.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MolerCommandTest {
    @Test
    void shortRunWritesTheResultsContract(@TempDir Path out) throws Exception {
        int code = LeantrainCli.commandLine(LeantrainCli.class).execute("moler", "--out", out.toString(), "--cache",
                out.resolve("cache").toString(), "--stage0-steps", "3", "--cpt-steps", "2", "--grpo-steps", "1",
                "--no-dr-grpo", "--no-base-grpo", "--rollout-queries", "8");
        assertEquals(0, code);
        String json = Files.readString(out.resolve("metrics.json"));
        for (String key : List.of("recall10_raw", "recall10_mol_mmlf", "recall10_mol_mslf", "recall10_mol_grpo_mmlf",
                "recall10_mol_grpo_mslf", "ndcg10_raw", "ndcg10_mol_grpo_mslf", "general_ppl_base", "general_ppl_mol",
                "general_ppl_ce_only", "general_ppl_ce_mix", "recall10_ce_mix_mmlf")) {
            assertTrue(json.contains("\"" + key + "\": "), key + " missing from " + json);
        }
        assertTrue(Files.size(out.resolve("recall10.png")) > 1000);
        assertTrue(Files.readString(out.resolve("grpo_rewards.csv")).startsWith("run,step,mean_reward,"));
        assertTrue(Files.readString(out.resolve("rollouts.csv")).startsWith("system,type,queries,reward,"));
        for (String key : List.of("rollout_reward_mol_name", "rollout_reward_mol_grpo_who",
                "rollout_zero_variance_mol_grpo_attr", "rollout_reward_gain")) {
            assertTrue(json.contains("\"" + key + "\": "), key + " missing from " + json);
        }
        String expansions = Files.readString(out.resolve("expansions.txt"));
        assertTrue(expansions.contains("MoL+GRPO / MMLF | ") && expansions.contains("  sub-queries: "), expansions);
        try (var cached = Files.list(out.resolve("cache"))) {
            List<String> names = cached.map(f -> f.getFileName().toString().replaceFirst("^stage0-[0-9a-f]+-", ""))
                    .sorted().toList();
            assertEquals(List.of("64x2-3-cpt-ce_mix-2.bin", "64x2-3-cpt-ce_only-2.bin", "64x2-3-cpt-mol-2.bin",
                    "64x2-3.bin"), names, "the stage-0 and CPT models are cached for the next run");
        }
    }

    @Test
    void countSweepWritesRecallAtEveryN(@TempDir Path out) throws Exception {
        int code = LeantrainCli.commandLine(LeantrainCli.class).execute("moler", "--out", out.toString(), "--cache",
                out.resolve("cache").toString(), "--stage0-steps", "3", "--cpt-steps", "2", "--grpo-steps", "1",
                "--no-dr-grpo", "--no-base-grpo", "--count-sweep", "--rollout-queries", "0");
        assertEquals(0, code);
        String json = Files.readString(out.resolve("metrics.json"));
        for (int n : List.of(1, 2, 3, 4, 6, 8)) {
            for (String key : List.of("recall10_oracle_passages_mmlf_n", "recall10_mol_mslf_n",
                    "recall10_mol_grpo_mmlf_n")) {
                assertTrue(json.contains("\"" + key + n + "\": "), key + n + " missing from " + json);
            }
        }
        List<String> rows = Files.readAllLines(out.resolve("expansion_counts.csv"));
        assertEquals(1 + 6 * 3 * 2, rows.size(), "6 counts × (oracle, MoL, MoL+GRPO) × (MSLF, MMLF)");
        assertTrue(Files.size(out.resolve("expansion_counts.png")) > 1000);
        assertTrue(Files.notExists(out.resolve("rollouts.csv")), "--rollout-queries 0 skips them");
        try (var cached = Files.list(out.resolve("cache"))) {
            assertTrue(cached.allMatch(p -> p.getFileName().toString().contains("-counted")),
                    "the counted base model and its CPT models are cached apart from the spec's");
        }
    }

    @Test
    void invalidStepCountsAreNamed(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cli = LeantrainCli.commandLine(LeantrainCli.class);
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("moler", "--out", out.toString(), "--grpo-steps", "0");
        assertEquals(1, code);
        assertTrue(err.toString().contains("--grpo-steps"), err.toString());
        assertEquals(1, cli.execute("moler", "--out", out.toString(), "--rollout-queries", "-1"));
        assertTrue(err.toString().contains("--rollout-queries must be >= 0"), err.toString());
    }
}
