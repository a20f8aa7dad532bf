package org.leantrain.rag;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.util.Rng;

/**
 * Query expansion for retrieval (spec §3E), batched over queries: MQR samples sub-queries after
 * {@code <bos> <mqr> q <sep>} (split on ";", first n non-empty, MMLF pads with q to exactly n); CQE writes one passage
 * for all sub-queries (MSLF) or one per sub-query (MMLF); BM25 lists of q and of every passage are fused by RRF.
 */
public final class QueryExpansionPipeline {
    public static final int MQR_TOKENS = 16;
    public static final int CQE_TOKENS = 40;

    /** Sub-queries, passages, fused ranking, LM calls and generated tokens of one query. */
    public record Expansion(List<String> subQueries, List<String> passages, int[] fused, int lmCalls,
            int generatedTokens) {}

    private final WordTokenizer tok;
    private final Bm25Index index;
    private final int n;
    private final boolean namesCount;

    /** The spec's pipeline: the MQR prompt does not name n (the instruction data always has n = 3). */
    public QueryExpansionPipeline(WordTokenizer tok, Bm25Index index, int n) {
        this(tok, index, n, false);
    }

    private QueryExpansionPipeline(WordTokenizer tok, Bm25Index index, int n, boolean namesCount) {
        if (n < 1) {
            throw new IllegalArgumentException("the number of sub-queries n must be ≥ 1, got " + n);
        }
        if (namesCount) {
            Formats.countWord(n); // validates 1 ≤ n ≤ MAX_COUNT
        }
        this.tok = tok;
        this.index = index;
        this.n = n;
        this.namesCount = namesCount;
    }

    /** A pipeline for a model trained on counted instruction data: its MQR prompt asks for n sub-queries. */
    public static QueryExpansionPipeline namingCount(WordTokenizer tok, Bm25Index index, int n) {
        return new QueryExpansionPipeline(tok, index, n, true);
    }

    /** The same pipeline (index, prompt style) with another number of sub-queries. */
    public QueryExpansionPipeline withSubQueryCount(int count) {
        return new QueryExpansionPipeline(tok, index, count, namesCount);
    }

    public int subQueryCount() {
        return n;
    }

    /** Whether the MQR prompt names n (a model trained on {@link SyntheticWorld#countedInstructionExamples}). */
    public boolean namesCount() {
        return namesCount;
    }

    /** The MQR prompt for a query: {@code <bos> <mqr> q <sep>}, with the count word when the pipeline names n. */
    public String mqrPrompt(String query) {
        return namesCount ? Formats.mqrPrompt(query, n) : Formats.mqrPrompt(query);
    }

    /** Expands and retrieves for every query; decoding {@code cfg} for both components (token budgets set here). */
    public List<Expansion> expand(TextGenerator lm, List<String> queries, FusionMode mode, SamplingConfig cfg,
            Rng rng) {
        List<int[]> mqrPrompts = new ArrayList<>();
        for (String q : queries) {
            mqrPrompts.add(tok.encode(mqrPrompt(q)));
        }
        Generator.Result mqr = lm.generate(mqrPrompts, withBudget(cfg, MQR_TOKENS), rng);
        List<List<String>> subs = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            subs.add(parseSubQueries(mqr.completions().get(i), queries.get(i), mode == FusionMode.MMLF));
        }
        List<int[]> cqePrompts = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            cqePrompts.addAll(cqePrompts(queries.get(i), subs.get(i), mode));
        }
        Generator.Result cqe = lm.generate(cqePrompts, withBudget(cfg, CQE_TOKENS), rng);
        List<Expansion> out = new ArrayList<>();
        int row = 0;
        for (int i = 0; i < queries.size(); i++) {
            int passagesHere = mode == FusionMode.MSLF ? 1 : subs.get(i).size();
            List<String> passages = new ArrayList<>();
            int tokens = mqr.completions().get(i).length + (mqr.stopped()[i] ? 1 : 0);
            for (int k = 0; k < passagesHere; k++, row++) {
                passages.add(passageText(cqe.completions().get(row)));
                tokens += cqe.completions().get(row).length + (cqe.stopped()[row] ? 1 : 0);
            }
            out.add(new Expansion(subs.get(i), passages, retrieve(queries.get(i), passages), 1 + passagesHere,
                    tokens));
        }
        return out;
    }

    /** The CQE prompts of one query: one for all sub-queries (MSLF) or one per sub-query (MMLF). */
    public List<int[]> cqePrompts(String query, List<String> subQueries, FusionMode mode) {
        List<int[]> prompts = new ArrayList<>();
        if (mode == FusionMode.MSLF) {
            prompts.add(tok.encode(Formats.cqeMslfPrompt(query, subQueries)));
        } else {
            for (String s : subQueries) {
                prompts.add(tok.encode(Formats.cqeMmlfPrompt(query, s)));
            }
        }
        return prompts;
    }

    /** RRF of the BM25 lists of the query and of each passage (depth 100, K = 60). */
    public int[] retrieve(String query, List<String> passages) {
        List<int[]> lists = new ArrayList<>();
        lists.add(index.search(query, ReciprocalRankFusion.DEPTH));
        for (String p : passages) {
            lists.add(index.search(p, ReciprocalRankFusion.DEPTH));
        }
        return ReciprocalRankFusion.fuse(lists);
    }

    /** Sub-queries from an MQR completion: split on ";", trimmed, first n non-empty; padded with q when asked. */
    public List<String> parseSubQueries(int[] completion, String query, boolean padToN) {
        List<String> subs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int t : completion) {
            String w = tok.word(t);
            if (w.equals(Formats.SUB_SEPARATOR)) {
                addIfNonEmpty(subs, current);
                current.setLength(0);
            } else if (!Formats.SPECIALS.contains(w)) {
                current.append(current.length() > 0 ? " " : "").append(w);
            }
        }
        addIfNonEmpty(subs, current);
        List<String> out = new ArrayList<>(subs.subList(0, Math.min(n, subs.size())));
        if (out.isEmpty() && !padToN) {
            out.add(query);
        }
        while (padToN && out.size() < n) {
            out.add(query);
        }
        return out;
    }

    private static void addIfNonEmpty(List<String> subs, StringBuilder s) {
        String t = s.toString().strip();
        if (!t.isEmpty()) {
            subs.add(t);
        }
    }

    /** A CQE completion as retrieval text: its words without special tokens. */
    public String passageText(int[] completion) {
        StringBuilder b = new StringBuilder();
        for (int t : completion) {
            String w = tok.word(t);
            if (!Formats.SPECIALS.contains(w)) {
                b.append(b.length() > 0 ? " " : "").append(w);
            }
        }
        return b.toString();
    }

    static SamplingConfig withBudget(SamplingConfig cfg, int tokens) {
        return new SamplingConfig(cfg.temperature(), cfg.topK(), cfg.topP(), tokens);
    }
}
