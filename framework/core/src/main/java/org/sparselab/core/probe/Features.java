package org.sparselab.core.probe;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of floats as Tribuo examples. Feature names are zero-padded ({@code f0007}) because Tribuo numbers
 * features by sorting their names as strings: padded names keep feature id = column. Zeros are left out
 * (codes are sparse), so a column never non-zero in the training rows is absent from the model's feature map.
 */
final class Features {
    private final String[] names;
    private final String prefix;

    Features(int width, String prefix) {
        this.prefix = prefix;
        int digits = Math.max(4, Integer.toString(width - 1).length());
        names = new String[width];
        for (int i = 0; i < width; i++) {
            names[i] = prefix + String.format("%0" + digits + "d", i);
        }
    }

    String name(int column) {
        return names[column];
    }

    int width() {
        return names.length;
    }

    /** Column of a feature name made by this object. */
    int column(String name) {
        return Integer.parseInt(name.substring(prefix.length()));
    }

    ArrayExample<Label> example(float[] rows, int row, String label) {
        List<String> n = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        int off = row * names.length;
        for (int j = 0; j < names.length; j++) {
            float x = rows[off + j];
            if (x != 0f) {
                n.add(names[j]);
                v.add((double) x);
            }
        }
        double[] vals = new double[v.size()];
        for (int i = 0; i < vals.length; i++) {
            vals[i] = v.get(i);
        }
        return new ArrayExample<>(new Label(label), n.toArray(new String[0]), vals);
    }

    MutableDataset<Label> dataset(String source, float[] rows, int[] labels, int[] pick, List<String> classNames) {
        LabelFactory lf = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(source, lf), lf);
        for (int i : pick) {
            ds.add(example(rows, i, classNames.get(labels[i])));
        }
        return ds;
    }
}
