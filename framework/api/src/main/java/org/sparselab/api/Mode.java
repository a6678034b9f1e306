package org.sparselab.api;

/** Whether an operation runs as part of training or as inference (evaluation, encoding, export). */
public enum Mode {
    TRAIN,
    INFERENCE;

    public boolean training() {
        return this == TRAIN;
    }
}
