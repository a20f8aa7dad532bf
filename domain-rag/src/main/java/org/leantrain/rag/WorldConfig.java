package org.leantrain.rag;

/**
 * Sizes of the synthetic worlds (spec §3A): entities in the private domain world and the (larger) general world,
 * regions and people per world, and the fraction of domain entities whose queries are held out for testing.
 */
public record WorldConfig(long seed, int domainEntities, int generalEntities, int regions, int people,
        double testFraction) {
    public WorldConfig {
        if (domainEntities < 4 || generalEntities < 4 || regions < 4 || people < 4) {
            throw new IllegalArgumentException("world counts must be ≥ 4, got domainEntities=" + domainEntities
                    + ", generalEntities=" + generalEntities + ", regions=" + regions + ", people=" + people);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
    }

    /** The spec's quick configuration: 60 domain and 300 general entities, 16 regions, 24 people, 25 % test. */
    public static WorldConfig quick(long seed) {
        return new WorldConfig(seed, 60, 300, 16, 24, 0.25);
    }

    /**
     * The spec's full configuration: 200 domain and 1,000 general entities; regions and people (the spec is silent)
     * scaled with the domain entities as in the quick world (about four entities per region), 25 % test.
     */
    public static WorldConfig full(long seed) {
        return new WorldConfig(seed, 200, 1000, 48, 72, 0.25);
    }
}
