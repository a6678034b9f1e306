package org.sparselab.api;

import org.sparselab.api.data.DataContext;
import org.sparselab.api.data.DataSource;

import java.io.IOException;

/**
 * Extension point for datasets. {@link #open} reads or generates the data; a missing file must raise an
 * {@link IOException} whose message says how to fetch it.
 */
public interface Dataset<C extends Record> extends Configurable<C> {

    DataSource open(C config, DataContext context) throws IOException;
}
