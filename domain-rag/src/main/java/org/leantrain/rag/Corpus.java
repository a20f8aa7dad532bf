package org.leantrain.rag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The private domain corpus: documents (ids 0..n−1), RL-training queries and held-out test queries. */
public record Corpus(List<Document> documents, List<Query> trainQueries, List<Query> testQueries) {
    public Corpus {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("a corpus needs at least one document");
        }
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i).id() != i) {
                throw new IllegalArgumentException("document ids must be 0..n−1 in order; position " + i + " has id "
                        + documents.get(i).id());
            }
        }
        documents = List.copyOf(documents);
        trainQueries = List.copyOf(trainQueries);
        testQueries = List.copyOf(testQueries);
    }

    /** SHA-256 over every document and query text, in order: equal fingerprints mean identical corpora. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Document d : documents) {
                sha.update((d.text() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (List<Query> qs : List.of(trainQueries, testQueries)) {
                for (Query q : qs) {
                    sha.update((q.id() + "\t" + q.text() + "\t" + new java.util.TreeMap<>(q.qrels()) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
