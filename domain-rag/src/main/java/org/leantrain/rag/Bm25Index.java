package org.leantrain.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * BM25 retrieval over an in-memory Lucene 9 index: {@code StandardAnalyzer} with the given stop set (Lucene 9 removes
 * none by default and does not stem), {@code BM25Similarity(k1, b)}. A query is a disjunction of one
 * {@code TermQuery} per distinct analysed term boosted by its count (so repeated words weigh more) — never the query
 * parser, whose syntax errors and 1,024-clause limit a generated passage could hit. Ties rank by ascending id.
 */
public final class Bm25Index implements AutoCloseable {
    /** The spec's stop set (§7): without it raw-query lists are dominated by "is"/"for" matches. */
    public static final List<String> STOP_WORDS = List.of("a", "an", "and", "are", "as", "at", "be", "but", "by",
            "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their",
            "then", "there", "these", "they", "this", "to", "was", "will", "with", "what", "which", "who", "did", "does",
            "from", "its");
    private static final String FIELD = "text";

    /** A hit: document id and Lucene's (float) score. */
    public record Hit(int id, double score) {}

    private final Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final int[] luceneToId;

    public Bm25Index(List<String> documents, List<String> stopWords, double k1, double b) {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("cannot index an empty corpus");
        }
        if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
            throw new IllegalArgumentException("BM25 needs k1 ≥ 0 and b in [0, 1], got k1=" + k1 + ", b=" + b);
        }
        this.analyzer = new StandardAnalyzer(new CharArraySet(stopWords, true));
        BM25Similarity similarity = new BM25Similarity((float) k1, (float) b);
        try {
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer).setSimilarity(similarity);
            try (IndexWriter writer = new IndexWriter(directory, cfg)) {
                for (int i = 0; i < documents.size(); i++) {
                    org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
                    d.add(new TextField(FIELD, documents.get(i), Field.Store.NO));
                    d.add(new StoredField("id", i));
                    writer.addDocument(d);
                }
            }
            this.reader = DirectoryReader.open(directory);
            this.searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
            this.luceneToId = new int[reader.maxDoc()];
            var stored = searcher.storedFields();
            for (int doc = 0; doc < reader.maxDoc(); doc++) {
                luceneToId[doc] = stored.document(doc).getField("id").numericValue().intValue();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spec's index: its stop set, k1 = 1.2, b = 0.75. */
    public static Bm25Index of(Corpus corpus) {
        return new Bm25Index(corpus.documents().stream().map(Document::text).toList(), STOP_WORDS, 1.2, 0.75);
    }

    public int size() {
        return luceneToId.length;
    }

    /** Analysed terms of a text with their counts, in first-occurrence order. */
    public Map<String, Integer> terms(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                counts.merge(term.toString(), 1, Integer::sum);
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    /** Document ids of the top {@code depth} hits (fewer when fewer documents match; none for a stop-word query). */
    public int[] search(String text, int depth) {
        List<Hit> hits = searchWithScores(text, depth);
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = hits.get(i).id();
        }
        return ids;
    }

    public List<Hit> searchWithScores(String text, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("search depth must be ≥ 1, got " + depth);
        }
        Map<String, Integer> terms = terms(text);
        List<Hit> out = new ArrayList<>();
        if (terms.isEmpty()) {
            return out;
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        for (Map.Entry<String, Integer> t : terms.entrySet()) {
            q.add(new BoostQuery(new TermQuery(new Term(FIELD, t.getKey())), t.getValue()), BooleanClause.Occur.SHOULD);
        }
        try {
            TopDocs top = searcher.search(q.build(), depth);
            for (ScoreDoc sd : top.scoreDocs) {
                out.add(new Hit(luceneToId[sd.doc], sd.score));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
            analyzer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
