package org.sparselab.api.data;

/** A view of another split through an index list; used for class subsets and holdouts. */
final class IndexedSplit implements Split {
    private final Split base;
    private final int[] indices;
    private final String name;

    IndexedSplit(Split base, int[] indices, String name) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IndexOutOfBoundsException("index " + i + " outside split " + base.name() + " of size " + base.size());
            }
        }
        this.base = base;
        this.indices = indices;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int inputDim() {
        return base.inputDim();
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public void copySample(int index, float[] dst, int offset) {
        base.copySample(indices[index], dst, offset);
    }
}
