package org.leantrain.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;

/** Spec §6 generator tests and the tokenizer. */
class SyntheticWorldTest {
    private static final SyntheticWorld WORLD = new SyntheticWorld(WorldConfig.quick(0));

    @Test
    void sameSeedSameCorpus() {
        assertEquals(WORLD.domainCorpus().fingerprint(), new SyntheticWorld(WorldConfig.quick(0)).domainCorpus()
                .fingerprint());
        assertNotEquals(WORLD.domainCorpus().fingerprint(), new SyntheticWorld(WorldConfig.quick(1)).domainCorpus()
                .fingerprint());
    }

    @Test
    void countsMatchTheQuickConfiguration() {
        Corpus c = WORLD.domainCorpus();
        assertEquals(244, c.documents().size());
        assertEquals(180, c.trainQueries().size());
        assertEquals(60, c.testQueries().size());
        assertEquals(964, WORLD.generalDocuments().size());
        assertEquals(1200, WORLD.generalQueries().size());
        assertEquals(3600, WORLD.instructionExamples(new Rng(0)).size());
        int vocab = WORLD.vocabulary().size();
        assertTrue(vocab > 850 && vocab < 1050, "vocabulary " + vocab + " (spec: about 940)");
    }

    @Test
    void fullConfigurationBuildsAndFitsTheContext() {
        SyntheticWorld full = new SyntheticWorld(WorldConfig.full(0));
        Corpus c = full.domainCorpus();
        assertEquals(200 * 3 + 24 + 48 + 72, c.documents().size());
        assertEquals(600, c.trainQueries().size());
        assertEquals(200, c.testQueries().size());
        WordTokenizer tok = new WordTokenizer(full.vocabulary());
        int context = LmConfig.full(tok.size()).context();
        for (String text : full.instructionExamples(new Rng(0))) {
            assertTrue(tok.encode(text).length <= context, "longer than the context: " + text);
        }
        for (Document d : c.documents()) {
            assertTrue(tok.encode(Formats.document(d.text())).length <= context, "longer than the context: " + d);
        }
    }

    @Test
    void countedInstructionsNameNAndListThatManyFacets() {
        List<String> vocabulary = new java.util.ArrayList<>(WORLD.vocabulary());
        vocabulary.addAll(Formats.countWords());
        WordTokenizer tok = new WordTokenizer(vocabulary);
        int context = LmConfig.quick(tok.size()).context();
        List<String> examples = WORLD.countedInstructionExamples(new Rng(0));
        List<String> spec = WORLD.instructionExamples(new Rng(0));
        assertEquals(3600, examples.size());
        Set<Integer> counts = new HashSet<>();
        for (int i = 0; i < examples.size(); i += 3) {
            String[] mqr = examples.get(i).split(" ");
            assertEquals(Formats.MQR, mqr[1], examples.get(i));
            int n = Integer.parseInt(mqr[2].substring(1));
            counts.add(n);
            String target = examples.get(i).substring(examples.get(i).indexOf(Formats.SEP) + 6,
                    examples.get(i).length() - 6);
            List<String> subs = List.of(target.split(" ; "));
            assertEquals(Math.min(n, SyntheticWorld.FACETS), subs.size(), examples.get(i));
            String specTarget = spec.get(i).substring(spec.get(i).indexOf(Formats.SEP) + 6, spec.get(i).length() - 6);
            List<String> specSubs = List.of(specTarget.split(" ; "));
            assertEquals(specSubs.subList(0, Math.min(n, 3)), subs.subList(0, Math.min(n, 3)),
                    "the first three facets are the spec's e ; c1 ; c2");
            if (n >= SyntheticWorld.FACETS) {
                assertTrue(subs.get(3).matches("[kqxzjw]{2}[0-9]{2}") && List.of(SyntheticWorld.CLASSES).contains(
                        subs.get(6)), "code, region, person, class follow: " + subs);
            }
            assertTrue(examples.get(i + 1).contains(Formats.SEP + " " + target + " " + Formats.PASSAGE),
                    "the CQE-MSLF example lists the MQR target's sub-queries: " + examples.get(i + 1));
            for (int j = i; j < i + 3; j++) {
                assertTrue(tok.encode(examples.get(j)).length <= context, "too long: " + examples.get(j));
            }
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), counts);
        for (String example : WORLD.instructionExamples(new Rng(0))) {
            assertTrue(Formats.countWords().stream().noneMatch(w -> List.of(example.split(" ")).contains(w)),
                    "the spec's instruction data names no count: " + example);
        }
    }

    @Test
    void teacherPassagesForEveryFacet() {
        Query q = WORLD.domainCorpus().testQueries().get(0);
        List<String> facts = new java.util.ArrayList<>(WORLD.oracleSubQueries(q));
        String entity = facts.get(0);
        String overview = WORLD.domainCorpus().documents().stream().map(Document::text)
                .filter(t -> t.startsWith(entity + " is a ")).findFirst().orElseThrow();
        String registry = WORLD.domainCorpus().documents().stream().map(Document::text)
                .filter(t -> t.startsWith("the registry code ") && t.contains(" refers to " + entity + " "))
                .findFirst().orElseThrow();
        String[] o = overview.split(" "); // e is a class first isolated in region by person .
        facts.addAll(List.of(registry.split(" ")[3], o[7], o[9], o[3]));
        for (int k = 0; k < SyntheticWorld.FACETS; k++) {
            List<String> words = List.of(WORLD.oracleMmlfPassage(q, k).split(" "));
            assertTrue(words.contains(entity) && words.contains(facts.get(k)), k + ": " + words);
        }
        String overviewAndClinical = WORLD.oracleMmlfPassage(q, 0);
        assertEquals(overviewAndClinical, WORLD.oracleMslfPassage(q, 1));
        assertTrue(WORLD.oracleMslfPassage(q, 2).startsWith(overviewAndClinical + " " + facts.get(1)
                + " is a condition"));
        assertTrue(WORLD.oracleMslfPassage(q, 3).startsWith(WORLD.oracleMslfPassage(q, 2) + " " + facts.get(2)));
        assertEquals(WORLD.oracleMslfPassage(q, 3), WORLD.oracleMslfPassage(q, 8), "the 40-token passage is full at 3");
        assertThrows(IllegalArgumentException.class, () -> WORLD.oracleMmlfPassage(q, SyntheticWorld.FACETS));
        assertThrows(IllegalArgumentException.class, () -> Formats.countWord(Formats.MAX_COUNT + 1));
        assertThrows(IllegalArgumentException.class, () -> Formats.countWord(0));
    }

    @Test
    void everyQueryHasOneAnswerEntity() {
        for (List<Query> qs : List.of(WORLD.generalQueries(), allDomainQueries())) {
            Set<String> texts = new HashSet<>();
            for (Query q : qs) {
                if (!q.type().equals("name")) {
                    assertTrue(texts.add(q.text()), "two entities answer '" + q.text() + "'");
                }
                assertEquals(5, q.qrels().size());
                assertEquals(3, q.qrels().values().stream().filter(g -> g == 2).count());
            }
        }
    }

    @Test
    void worldsShareOnlyTheLanguage() {
        Set<String> general = words(WORLD.generalDocuments(), WORLD.generalQueries());
        Set<String> domain = words(WORLD.domainCorpus().documents().stream().map(Document::text).toList(),
                allDomainQueries());
        Set<String> shared = new HashSet<>(general);
        shared.retainAll(domain);
        Set<String> language = new HashSet<>();
        for (String[] list : List.of(SyntheticWorld.CLASSES, SyntheticWorld.CONDITIONS, SyntheticWorld.SYMPTOMS,
                SyntheticWorld.FILLERS)) {
            for (String s : list) {
                language.addAll(List.of(s.split(" ")));
            }
        }
        language.addAll(List.of(("is a first isolated in by . prescribed for and patients with respond to within days"
                + " the registry code refers stored as sample condition that causes region many field stations"
                + " researcher known work which treats comes from ? what used did discover does treat").split(" ")));
        shared.removeAll(language);
        assertTrue(shared.isEmpty(), "facts shared between the worlds: " + shared);
    }

    @Test
    void tokenizerRoundTripsAndRejectsUnknownWords() {
        WordTokenizer tok = new WordTokenizer(WORLD.vocabulary());
        assertEquals(0, tok.id(Formats.PAD));
        for (String example : WORLD.instructionExamples(new Rng(3)).subList(0, 50)) {
            assertEquals(example, tok.decode(tok.encode(example)));
        }
        String msg = assertThrows(IllegalArgumentException.class, () -> tok.encode("what is zyzzyva")).getMessage();
        assertTrue(msg.contains("zyzzyva"), msg);
    }

    @Test
    void badWorldConfigsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(0, 3, 300, 16, 24, 0.25));
        assertThrows(IllegalArgumentException.class, () -> new WorldConfig(0, 60, 300, 16, 24, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Query("q", " ", "name", java.util.Map.of(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new Query("q", "what", "name", java.util.Map.of(1, 0)));
    }

    private static List<Query> allDomainQueries() {
        List<Query> all = new java.util.ArrayList<>(WORLD.domainCorpus().trainQueries());
        all.addAll(WORLD.domainCorpus().testQueries());
        return all;
    }

    private static Set<String> words(List<String> docs, List<Query> queries) {
        Set<String> w = new HashSet<>();
        docs.forEach(d -> w.addAll(List.of(d.split(" "))));
        queries.forEach(q -> w.addAll(List.of(q.text().split(" "))));
        return w;
    }
}
