package org.sparselab.api;

/** What a model's output is compared with. */
public enum Task {
    /** Output holds class scores (logits); compared with labels. */
    CLASSIFICATION,
    /** Output is a reconstruction of the clean input. */
    RECONSTRUCTION,
    /** No output beyond the code (memories, Hebbian layers). */
    NONE
}
