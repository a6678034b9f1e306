package org.sparselab.core.probe;

import org.tribuo.Dataset;
import org.tribuo.FeatureMap;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns as Tribuo features. Tribuo numbers features by sorting their names as strings, so names are
 * zero-padded ({@code f0007}): feature id = column. Examples are sparse (zeros left out: codes are mostly
 * zeros), but every training set gets the feature map of all columns, so a model knows every unit even when
 * a unit was never active in its few training samples: test samples are then never "empty", and the model's
 * (and its ONNX export's) input is the full code vector in unit order.
 */
final class Features {
    static final String PREFIX = "f";
    private final String[] names;

    Features(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("no features: width " + width);
        }
        names = new String[width];
        String format = "%0" + digits(width) + "d";
        for (int i = 0; i < width; i++) {
            names[i] = PREFIX + String.format(format, i);
        }
    }

    /** Digits of the largest column, at least 4. */
    static int digits(int width) {
        return Math.max(4, Integer.toString(width - 1).length());
    }

    String name(int column) {
        return names[column];
    }

    int width() {
        return names.length;
    }

    /** Column of a feature name made by this object. */
    int column(String name) {
        return Integer.parseInt(name.substring(PREFIX.length()));
    }

    /**
     * Row {@code r} as an example of its non-zero entries. An all-zero row keeps one explicit zero: Tribuo
     * rejects examples without features, and a zero adds nothing to a linear model.
     */
    ArrayExample<Label> example(Rows rows, int r, Label label) {
        int nz = rows.nonZeros(r);
        if (nz == 0) {
            return new ArrayExample<>(label, new String[]{names[0]}, new double[]{0.0});
        }
        String[] n = new String[nz];
        double[] v = new double[nz];
        for (int j = 0; j < nz; j++) {
            n[j] = names[rows.column(r, j)];
            v[j] = rows.value(r, j);
        }
        return new ArrayExample<>(label, n, v);
    }

    /** The given rows as a dataset whose feature map is the one their values produce (used for test sets). */
    MutableDataset<Label> dataset(String source, Rows rows, int[] pick, List<String> classNames) {
        LabelFactory lf = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(source, lf), lf);
        for (int i : pick) {
            ds.add(example(rows, i, new Label(classNames.get(rows.label(i)))));
        }
        return ds;
    }

    /** A training set over every column (see the class comment); statistics of observed features are kept. */
    Dataset<Label> trainingSet(String source, Rows rows, int[] pick, List<String> classNames) {
        MutableDataset<Label> ds = dataset(source, rows, pick, classNames);
        if (ds.getFeatureMap().size() == names.length) {
            return ds;
        }
        return ImmutableDataset.copyDataset(ds, fullMap(ds.getFeatureMap()), ds.getOutputIDInfo());
    }

    /** Every column, with the observed statistics where a column was seen. */
    ImmutableFeatureMap fullMap(FeatureMap observed) {
        List<VariableInfo> infos = new ArrayList<>(names.length);
        for (String n : names) {
            VariableInfo seen = observed.get(n);
            infos.add(seen != null ? seen : new RealInfo(n));
        }
        return new ImmutableFeatureMap(infos);
    }
}
