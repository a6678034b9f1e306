package org.sparselab.plugins.sdmmemory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** A small table printed as aligned text and, on request, written as CSV (atomically). */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + header.size() + " columns");
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Double v ? fmt(v) : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    static String fmt(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e7 ? String.format(java.util.Locale.ROOT, "%.6g", v) : String.format(java.util.Locale.ROOT, "%.6e", v);
    }

    void print(PrintWriter out) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sb.append(String.format("%" + w[i] + "s", header.get(i))).append(i + 1 < w.length ? "  " : "");
        }
        out.println(sb);
        for (List<String> r : rows) {
            sb.setLength(0);
            for (int i = 0; i < w.length; i++) {
                sb.append(String.format("%" + w[i] + "s", r.get(i))).append(i + 1 < w.length ? "  " : "");
            }
            out.println(sb);
        }
        out.flush();
    }

    void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> r : rows) {
            sb.append(String.join(",", r)).append('\n');
        }
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    int size() {
        return rows.size();
    }
}
