package org.leantrain.rag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.leantrain.core.util.Rng;

/**
 * The two synthetic worlds of spec §3A, built from one seed: a general world (the base model's knowledge and its
 * instruction data) and a private domain world (the corpus to retrieve from). Both share the language — templates,
 * function words, compound classes, conditions and their symptoms — and differ only in facts: entity names,
 * regions, people and registry codes are disjoint. Every entity's (class, first condition, region) and (discoverer,
 * second condition) are unique in its world, so each query has exactly one answer entity.
 */
public final class SyntheticWorld {
    static final String[] CLASSES = {"alkaloid", "peptide", "enzyme", "steroid", "glycoside", "terpene", "lipid",
        "resin"};
    static final String[] CONDITIONS = {"fever", "insomnia", "migraine", "asthma", "eczema", "anemia", "arthritis",
        "bronchitis", "gastritis", "hepatitis", "malaria", "measles", "psoriasis", "sinusitis", "tinnitus", "vertigo",
        "gout", "acne", "angina", "colitis", "dermatitis", "edema", "jaundice", "neuralgia"};
    static final String[] SYMPTOMS = {"cough", "rash", "fatigue", "nausea", "dizziness", "itching", "swelling",
        "pain", "chills", "sweating", "wheezing", "numbness"};
    static final String[] FILLERS = {
        "further studies are ongoing .",
        "the results were published later .",
        "several laboratories confirmed the finding .",
        "the sample was kept in a cold room .",
        "early reports were mixed .",
        "the work took many years .",
        "a second team repeated the test .",
        "the method is now standard .",
        "the archive holds the original notes .",
        "little else is known ."};
    /** The facts an entity has, hence the most distinct sub-queries a teacher MQR target holds. */
    public static final int FACETS = 7;
    /** The facets relevance rewards, first in {@link #facets}: the entity and its two conditions (the spec's n = 3). */
    public static final int RELEVANT_FACETS = 3;
    private static final String CODE_LETTERS = "kqxzjw";
    private static final String CONSONANTS = "bdfglmnprstv";
    private static final String VOWELS = "aeiou";

    /** One entity: its name, class, two conditions (indices), region, discoverer and registry code. */
    record Entity(String name, int cls, int c1, int c2, String region, String person, String code) {}

    /** One world's facts and documents. */
    static final class World {
        final List<Entity> entities = new ArrayList<>();
        final List<String> regions = new ArrayList<>();
        final List<String> people = new ArrayList<>();
        final List<String> documents = new ArrayList<>();
        /** Document index of each entity's overview (then clinical, registry) and of each condition's document. */
        final int[] entityDoc;
        final int[] conditionDoc = new int[CONDITIONS.length];
        /** Document index of the first region's and the first person's document (the others follow in order). */
        int firstRegionDoc;
        int firstPersonDoc;
        final List<Query> queries = new ArrayList<>();

        World(int entities) {
            this.entityDoc = new int[entities];
        }
    }

    private final WorldConfig config;
    private final int[][] symptoms = new int[CONDITIONS.length][2];
    private final World general;
    private final World domain;
    private final Corpus domainCorpus;
    private final List<String> vocabulary;

    public SyntheticWorld(WorldConfig config) {
        this.config = config;
        Rng rng = new Rng(config.seed());
        for (int c = 0; c < CONDITIONS.length; c++) {
            int s1 = rng.nextInt(SYMPTOMS.length);
            int s2 = (s1 + 1 + rng.nextInt(SYMPTOMS.length - 1)) % SYMPTOMS.length;
            symptoms[c] = new int[] {s1, s2};
        }
        Set<String> usedNames = new HashSet<>();
        this.general = build(config.generalEntities(), rng.split(), usedNames);
        this.domain = build(config.domainEntities(), rng.split(), usedNames);
        this.domainCorpus = split(domain, rng.split());
        this.vocabulary = collectVocabulary();
    }

    public WorldConfig config() {
        return config;
    }

    public Corpus domainCorpus() {
        return domainCorpus;
    }

    public List<String> generalDocuments() {
        return List.copyOf(general.documents);
    }

    public List<Query> generalQueries() {
        return List.copyOf(general.queries);
    }

    /** Every word the generator can emit, sorted (no special tokens). */
    public List<String> vocabulary() {
        return vocabulary;
    }

    private World build(int count, Rng rng, Set<String> usedNames) {
        World w = new World(count);
        for (int i = 0; i < config.regions(); i++) {
            w.regions.add(freshName(2, rng, usedNames));
        }
        for (int i = 0; i < config.people(); i++) {
            w.people.add(freshName(2, rng, usedNames));
        }
        Set<String> attrKeys = new HashSet<>();
        Set<String> whoKeys = new HashSet<>();
        int attempts = 0;
        while (w.entities.size() < count) {
            if (++attempts > 1000 * count) {
                throw new IllegalArgumentException("cannot place " + count + " entities with unique (class, condition,"
                        + " region) and (person, condition) keys; add regions or people");
            }
            int cls = rng.nextInt(CLASSES.length);
            int c1 = rng.nextInt(CONDITIONS.length);
            int c2 = (c1 + 1 + rng.nextInt(CONDITIONS.length - 1)) % CONDITIONS.length;
            String region = w.regions.get(rng.nextInt(w.regions.size()));
            String person = w.people.get(rng.nextInt(w.people.size()));
            String attrKey = cls + "/" + c1 + "/" + region;
            String whoKey = person + "/" + c2;
            if (attrKeys.contains(attrKey) || whoKeys.contains(whoKey)) {
                continue;
            }
            attrKeys.add(attrKey);
            whoKeys.add(whoKey);
            w.entities.add(new Entity(freshName(3, rng, usedNames), cls, c1, c2, region, person,
                    freshCode(rng, usedNames)));
        }
        for (int i = 0; i < count; i++) {
            Entity e = w.entities.get(i);
            w.entityDoc[i] = w.documents.size();
            w.documents.add(e.name() + " is a " + CLASSES[e.cls()] + " first isolated in " + e.region() + " by "
                    + e.person() + " . " + filler(rng));
            w.documents.add(e.name() + " is prescribed for " + CONDITIONS[e.c1()] + " and " + CONDITIONS[e.c2()]
                    + " . patients with " + CONDITIONS[e.c1()] + " respond to " + e.name() + " within days .");
            w.documents.add("the registry code " + e.code() + " refers to " + e.name() + " . " + e.name()
                    + " is stored as a " + CLASSES[e.cls()] + " sample . " + filler(rng));
        }
        for (int c = 0; c < CONDITIONS.length; c++) {
            w.conditionDoc[c] = w.documents.size();
            w.documents.add(CONDITIONS[c] + " is a condition that causes " + SYMPTOMS[symptoms[c][0]] + " and "
                    + SYMPTOMS[symptoms[c][1]] + " . " + filler(rng));
        }
        w.firstRegionDoc = w.documents.size();
        for (String r : w.regions) {
            w.documents.add(r + " is a region with many field stations . " + filler(rng));
        }
        w.firstPersonDoc = w.documents.size();
        for (String p : w.people) {
            w.documents.add(p + " is a researcher known for field work . " + filler(rng));
        }
        for (int i = 0; i < count; i++) {
            Entity e = w.entities.get(i);
            Map<Integer, Integer> qrels = new LinkedHashMap<>();
            for (int k = 0; k < 3; k++) {
                qrels.put(w.entityDoc[i] + k, 2);
            }
            qrels.put(w.conditionDoc[e.c1()], 1);
            qrels.put(w.conditionDoc[e.c2()], 1);
            w.queries.add(new Query(i + "-attr", "which " + CLASSES[e.cls()] + " treats " + CONDITIONS[e.c1()]
                    + " and comes from " + e.region() + " ?", "attr", qrels));
            w.queries.add(new Query(i + "-code", "what is " + e.code() + " used for ?", "code", qrels));
            w.queries.add(new Query(i + "-who", "what did " + e.person() + " discover for " + CONDITIONS[e.c2()]
                    + " ?", "who", qrels));
            w.queries.add(new Query(i + "-name", "what does " + e.name() + " treat ?", "name", qrels));
        }
        return w;
    }

    private static String filler(Rng rng) {
        return FILLERS[rng.nextInt(FILLERS.length)];
    }

    private static String freshName(int syllables, Rng rng, Set<String> used) {
        while (true) {
            StringBuilder b = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                b.append(CONSONANTS.charAt(rng.nextInt(CONSONANTS.length())))
                        .append(VOWELS.charAt(rng.nextInt(VOWELS.length())));
            }
            if (syllables == 3) {
                b.append(CONSONANTS.charAt(rng.nextInt(CONSONANTS.length()))); // "mizufex"-like closed ending
            }
            String name = b.toString();
            if (used.add(name)) {
                return name;
            }
        }
    }

    private static String freshCode(Rng rng, Set<String> used) {
        while (true) {
            String code = "" + CODE_LETTERS.charAt(rng.nextInt(6)) + CODE_LETTERS.charAt(rng.nextInt(6))
                    + rng.nextInt(10) + rng.nextInt(10);
            if (used.add(code)) {
                return code;
            }
        }
    }

    /** Domain corpus with queries split by entity (seeded) into RL-train and test. */
    private Corpus split(World w, Rng rng) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < w.documents.size(); i++) {
            docs.add(new Document(i, w.documents.get(i)));
        }
        int[] order = rng.permutation(w.entities.size());
        int testCount = Math.max(1, (int) Math.round(config.testFraction() * w.entities.size()));
        Set<Integer> test = new HashSet<>();
        for (int k = 0; k < testCount; k++) {
            test.add(order[k]);
        }
        List<Query> train = new ArrayList<>();
        List<Query> held = new ArrayList<>();
        for (Query q : w.queries) {
            int entity = Integer.parseInt(q.id().substring(0, q.id().indexOf('-')));
            (test.contains(entity) ? held : train).add(q);
        }
        return new Corpus(docs, train, held);
    }

    private List<String> collectVocabulary() {
        Set<String> words = new TreeSet<>();
        for (World w : List.of(general, domain)) {
            for (String d : w.documents) {
                words.addAll(List.of(d.split(" ")));
            }
            for (Query q : w.queries) {
                words.addAll(List.of(q.text().split(" ")));
            }
        }
        for (String f : FILLERS) {
            words.addAll(List.of(f.split(" ")));
        }
        return List.copyOf(words);
    }

    /** The first sentence of a document (through its first " ."). */
    static String firstSentence(String text) {
        int dot = text.indexOf(" .");
        return dot < 0 ? text : text.substring(0, dot + 2);
    }

    /** Index of the query's entity in its world. */
    private static int entityOf(Query q) {
        return Integer.parseInt(q.id().substring(0, q.id().indexOf('-')));
    }

    /**
     * The teacher's sub-queries for a query: its entity's facts in the order name, first and second condition,
     * registry code, region, discoverer, class. The first three are the spec's "e ; c1 ; c2" (n = 3).
     */
    List<String> facets(World w, Query q) {
        Entity e = w.entities.get(entityOf(q));
        return List.of(e.name(), CONDITIONS[e.c1()], CONDITIONS[e.c2()], e.code(), e.region(), e.person(),
                CLASSES[e.cls()]);
    }

    /**
     * The teacher's MSLF passage for n sub-queries: first sentences of overview and clinical document, then of the
     * condition documents the sub-queries name. From n = 3 on it is the spec's passage: the other facts are already
     * in the overview, and the passage fills the 40-token budget.
     */
    String mslfPassage(World w, Query q, int n) {
        int i = entityOf(q);
        Entity e = w.entities.get(i);
        StringBuilder b = new StringBuilder(firstSentence(w.documents.get(w.entityDoc[i]))).append(' ')
                .append(firstSentence(w.documents.get(w.entityDoc[i] + 1)));
        for (int k = 1; k < Math.min(n, RELEVANT_FACETS); k++) {
            b.append(' ').append(firstSentence(w.documents.get(w.conditionDoc[k == 1 ? e.c1() : e.c2()])));
        }
        return b.toString();
    }

    /**
     * The teacher's MMLF passage for sub-query k of {@link #facets}: the facet's own first sentence and the sentence
     * that ties it to the entity. k = 0 (the entity): overview + clinical; 1, 2 (conditions): condition + clinical;
     * 3 (code): registry + clinical; 4, 5 (region, discoverer): their document + overview; 6 (class): overview + the
     * registry's "stored as a class sample".
     */
    String mmlfPassage(World w, Query q, int k) {
        int i = entityOf(q);
        Entity e = w.entities.get(i);
        String overview = firstSentence(w.documents.get(w.entityDoc[i]));
        String clinical = firstSentence(w.documents.get(w.entityDoc[i] + 1));
        String registry = w.documents.get(w.entityDoc[i] + 2);
        return switch (k) {
            case 0 -> overview + " " + clinical;
            case 1, 2 -> firstSentence(w.documents.get(w.conditionDoc[k == 1 ? e.c1() : e.c2()])) + " " + clinical;
            case 3 -> firstSentence(registry) + " " + clinical;
            case 4 -> firstSentence(w.documents.get(w.firstRegionDoc + w.regions.indexOf(e.region()))) + " " + overview;
            case 5 -> firstSentence(w.documents.get(w.firstPersonDoc + w.people.indexOf(e.person()))) + " " + overview;
            case 6 -> overview + " " + firstSentence(registry.substring(firstSentence(registry).length() + 1));
            default -> throw new IllegalArgumentException("sub-query index " + k + " outside 0.." + (FACETS - 1));
        };
    }

    /**
     * The instruction data (§3A/§3C), three examples per general query in the spec's formats (§3B): MQR, CQE-MSLF,
     * and CQE-MMLF for a random sub-query k, always with n = 3 sub-queries.
     */
    public List<String> instructionExamples(Rng rng) {
        List<String> out = new ArrayList<>();
        for (Query q : general.queries) {
            List<String> subs = facets(general, q).subList(0, RELEVANT_FACETS);
            int k = rng.nextInt(RELEVANT_FACETS);
            out.add(Formats.mqr(q.text(), String.join(" ; ", subs)));
            out.add(Formats.cqeMslf(q.text(), subs, mslfPassage(general, q, RELEVANT_FACETS)));
            out.add(Formats.cqeMmlf(q.text(), subs.get(k), mmlfPassage(general, q, k)));
        }
        return out;
    }

    /**
     * Instruction data whose MQR prompts name the number of sub-queries (for the expansion-count sweep): per general
     * query a count n drawn from 1..{@link Formats#MAX_COUNT}, the MQR example for n (at most {@link #FACETS}
     * sub-queries: an entity has no more facts), the CQE-MSLF example with those sub-queries, and CQE-MMLF for one of
     * them.
     */
    public List<String> countedInstructionExamples(Rng rng) {
        List<String> out = new ArrayList<>();
        for (Query q : general.queries) {
            int n = 1 + rng.nextInt(Formats.MAX_COUNT);
            List<String> subs = facets(general, q).subList(0, Math.min(n, FACETS));
            int k = rng.nextInt(subs.size());
            out.add(Formats.mqr(q.text(), n, String.join(" ; ", subs)));
            out.add(Formats.cqeMslf(q.text(), subs, mslfPassage(general, q, n)));
            out.add(Formats.cqeMmlf(q.text(), subs.get(k), mmlfPassage(general, q, k)));
        }
        return out;
    }

    /** The oracle's (true facts, teacher format) sub-queries for a domain query: its three relevant facets. */
    public List<String> oracleSubQueries(Query q) {
        return facets(domain, q).subList(0, RELEVANT_FACETS);
    }

    /** The oracle's MSLF passage for n sub-queries. */
    public String oracleMslfPassage(Query q, int n) {
        return mslfPassage(domain, q, n);
    }

    /** The oracle's MMLF passage for sub-query k (0 ≤ k < {@link #FACETS}) of the teacher's order. */
    public String oracleMmlfPassage(Query q, int k) {
        return mmlfPassage(domain, q, k);
    }

    /** The names of both worlds' entities (a passage can only name these: the vocabulary has no other names). */
    public Set<String> entityNames() {
        Set<String> names = new HashSet<>();
        for (World w : List.of(general, domain)) {
            for (Entity e : w.entities) {
                names.add(e.name());
            }
        }
        return names;
    }

    /** Per-world counts for reports: documents and queries. */
    public Map<String, Integer> counts() {
        Map<String, Integer> m = new HashMap<>();
        m.put("general_documents", general.documents.size());
        m.put("general_queries", general.queries.size());
        m.put("domain_documents", domain.documents.size());
        m.put("domain_queries", domain.queries.size());
        m.put("vocabulary", vocabulary.size());
        return m;
    }
}
