package org.leantrain.rag;

import java.util.List;

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
