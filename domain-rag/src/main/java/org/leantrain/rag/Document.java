package org.leantrain.rag;

/** A document of a corpus: its index id and whitespace-tokenised lower-case text. */
public record Document(int id, String text) {}
