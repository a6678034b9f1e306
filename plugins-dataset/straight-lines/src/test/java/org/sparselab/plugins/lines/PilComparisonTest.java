package org.sparselab.plugins.lines;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rasteriser against PIL's {@code ImageDraw.line} pixels for every line the dataset can produce: the 58 random
 * draws and the 60 sweep samples. The fixture was written by {@code benchmarks/net-fragments/pil_lines.py}
 * (Pillow 9.4, Debian python3-pil).
 */
class PilComparisonTest {

    @Test
    void everyLineMatchesPilPixelForPixel() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int lines = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PilComparisonTest.class.getResourceAsStream("/pil_lines.txt"), StandardCharsets.UTF_8))) {
            for (String row; (row = in.readLine()) != null; ) {
                String[] f = row.trim().split(" +");
                Lines.Segment s = new Lines.Segment(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                        Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                TreeSet<Integer> pil = new TreeSet<>();
                for (int i = 4; i < f.length; i++) {
                    pil.add(Integer.parseInt(f[i]));
                }
                TreeSet<Integer> ours = new TreeSet<>();
                float[] img = Lines.draw(s, 32);
                for (int i = 0; i < img.length; i++) {
                    if (img[i] > 0) {
                        ours.add(i);
                    }
                }
                if (!pil.equals(ours)) {
                    TreeSet<Integer> onlyPil = new TreeSet<>(pil);
                    onlyPil.removeAll(ours);
                    TreeSet<Integer> onlyOurs = new TreeSet<>(ours);
                    onlyOurs.removeAll(pil);
                    mismatches.add(s + " only PIL " + onlyPil + " only ours " + onlyOurs);
                }
                lines++;
            }
        }
        assertEquals(118, lines);
        assertEquals(List.of(), mismatches);
    }
}
