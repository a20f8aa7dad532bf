package org.leantrain.rag;

import java.util.List;
import java.util.stream.IntStream;

/** The LM's sequence formats (spec §3B), as whitespace-separated tokens with the special tokens. */
public final class Formats {
    public static final String PAD = "<pad>";
    public static final String BOS = "<bos>";
    public static final String EOS = "<eos>";
    public static final String MQR = "<mqr>";
    public static final String CQE = "<cqe>";
    public static final String SEP = "<sep>";
    public static final String PASSAGE = "<p>";
    public static final String SUB_SEPARATOR = ";";
    public static final List<String> SPECIALS = List.of(PAD, BOS, EOS, MQR, CQE, SEP, PASSAGE, SUB_SEPARATOR);
    /** The largest number of sub-queries an MQR prompt can ask for (the spec's sweep goes to n = 8). */
    public static final int MAX_COUNT = 8;

    private Formats() {}

    public static String document(String text) {
        return BOS + " " + text + " " + EOS;
    }

    /** The MQR prompt (what the model continues) and the full training sequence. */
    public static String mqrPrompt(String query) {
        return BOS + " " + MQR + " " + query + " " + SEP;
    }

    public static String mqr(String query, String subQueries) {
        return mqrPrompt(query) + " " + subQueries + " " + EOS;
    }

    /**
     * The MQR prompt that names the number of sub-queries wanted, {@code <bos> <mqr> n4 q <sep>}, as the paper's prompt
     * asks for cnt = n versions of the question (used only by the expansion-count sweep).
     */
    public static String mqrPrompt(String query, int count) {
        return BOS + " " + MQR + " " + countWord(count) + " " + query + " " + SEP;
    }

    public static String mqr(String query, int count, String subQueries) {
        return mqrPrompt(query, count) + " " + subQueries + " " + EOS;
    }

    /** The word that names a sub-query count in a counted MQR prompt: "n1" … "n8". */
    public static String countWord(int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a counted MQR prompt asks for 1.." + MAX_COUNT + " sub-queries, got "
                    + count);
        }
        return "n" + count;
    }

    /** Every count word, for the vocabulary of a model trained on counted prompts. */
    public static List<String> countWords() {
        return IntStream.rangeClosed(1, MAX_COUNT).mapToObj(Formats::countWord).toList();
    }

    public static String cqeMslfPrompt(String query, List<String> subQueries) {
        return BOS + " " + CQE + " " + query + " " + SEP + " " + String.join(" ; ", subQueries) + " " + PASSAGE;
    }

    public static String cqeMslf(String query, List<String> subQueries, String passage) {
        return cqeMslfPrompt(query, subQueries) + " " + passage + " " + EOS;
    }

    public static String cqeMmlfPrompt(String query, String subQuery) {
        return BOS + " " + CQE + " " + query + " " + SEP + " " + subQuery + " " + PASSAGE;
    }

    public static String cqeMmlf(String query, String subQuery, String passage) {
        return cqeMmlfPrompt(query, subQuery) + " " + passage + " " + EOS;
    }
}
