package org.leantrain.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whitespace words over a closed vocabulary: the special tokens of {@link Formats} first (id 0 is {@code <pad>}),
 * then every word the generator can emit, sorted. Unknown words are an error, not a silent {@code <unk>}.
 */
public final class WordTokenizer {
    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();

    public WordTokenizer(List<String> vocabulary) {
        List<String> all = new ArrayList<>(Formats.SPECIALS);
        for (String w : vocabulary) {
            if (!Formats.SPECIALS.contains(w)) {
                all.add(w);
            }
        }
        this.words = List.copyOf(all);
        for (int i = 0; i < words.size(); i++) {
            if (ids.put(words.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary lists '" + words.get(i) + "' twice");
            }
        }
    }

    public int size() {
        return words.size();
    }

    public int id(String word) {
        Integer id = ids.get(word);
        if (id == null) {
            throw new IllegalArgumentException("unknown word '" + word + "': the vocabulary is closed (" + size()
                    + " words from the synthetic world); encode only text the generator or the model produced");
        }
        return id;
    }

    public String word(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + size() + ")");
        }
        return words.get(id);
    }

    public int[] encode(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = id(parts[i]);
        }
        return out;
    }

    public String decode(int[] tokens) {
        StringBuilder b = new StringBuilder();
        for (int t : tokens) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(word(t));
        }
        return b.toString();
    }
}
