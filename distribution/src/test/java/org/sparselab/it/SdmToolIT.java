package org.sparselab.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sparselab sdm ...` from the real sdm-memory plugin jar: tables, CSV, plots and argument errors (issue 8). */
class SdmToolIT {

    private static TestKit.Cli sdm(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "sdm";
        all[1] = "--plugins";
        all[2] = TestKit.pluginFolder().toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return TestKit.cli(all);
    }

    @Test
    void circleTableCsvAndPlot(@TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("circle.csv");
        Path png = tmp.resolve("circle.png");
        TestKit.Cli c = sdm("circle", "--n", "64", "--d", "11", "--r", "2^64", "--csv", csv.toString(), "--plot", png.toString());
        assertEquals(0, c.exit(), c.all());
        assertTrue(c.out().contains("beta=15.852"), c.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("d_v,cosine,intersection,fraction_of_space,expected_neurons,softmax_fit", lines.get(0));
        assertTrue(lines.get(1).startsWith("0,1.00000,927740240713,"), lines.get(1));
        assertTrue(lines.get(6).startsWith("5,0.843750,56201615872,"), lines.get(6));
        assertTrue(Files.size(png) > 1000, "a PNG was drawn");
    }

    @Test
    void betasRadiiOptimalDAndBetaAnalysis() {
        TestKit.Cli b = sdm("beta", "--n", "64", "--d", "5,9,11,15");
        assertEquals(0, b.exit(), b.all());
        for (String v : new String[]{"35.48", "20.04", "15.85", "10.11"}) {
            assertTrue(b.out().contains(v), b.out());
        }
        TestKit.Cli r = sdm("radius", "--n", "1000");
        assertTrue(r.out().replaceAll("\\s+", " ").contains("1.00000e-13 384") || r.out().contains("384"), r.out());
        TestKit.Cli o = sdm("optimal-d", "--n", "64", "--m", "1024");
        assertTrue(o.out().contains("z = 2.298313"), o.out());
        TestKit.Cli a = sdm("beta-analysis", "--betas", "10.3109,24.8478,15.1115");
        assertTrue(a.out().contains("3 betas: min 10.3109, max 24.8478") && a.out().contains("3 of 3"), a.out());
    }

    @Test
    void check14TheQueryKeyNormBetasLieBetweenTheCriticalDistanceAndMemoryOptimalBetas() {
        // spec sdm.md check 14: 90 values, min 10.3109, max 24.8478, mean 15.6475, all within [beta(15), beta(7)]
        TestKit.Cli a = sdm("beta-analysis", "--betas", TestKit.repo().resolve("runs/sdm-memory/kq-norm-betas.txt").toString());
        assertEquals(0, a.exit(), a.all());
        assertTrue(a.out().contains("90 betas: min 10.3109, max 24.8478, mean 15.6475, median 15.1115"), a.out());
        assertTrue(a.out().contains("beta(d=15) = 10.1104") && a.out().contains("within [beta(15), beta(7)]: 90 of 90"), a.out());
    }

    @Test
    void badArgumentsNameTheOptionAndWhatIsAccepted() {
        TestKit.Cli missing = sdm("circle", "--d", "11");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--n is required"), missing.all());
        TestKit.Cli bad = sdm("circle", "--n", "64", "--d", "99");
        assertTrue(bad.err().contains("--d = 99 is not accepted: expected an integer in [0, 64]"), bad.all());
        TestKit.Cli sub = sdm("circles", "--n", "64");
        assertTrue(sub.err().contains("unknown subcommand 'circles'"), sub.all());
        TestKit.Cli typo = sdm("beta", "--n", "64", "--d", "5", "--estimatr", "ols");
        assertTrue(typo.err().contains("unknown option --estimatr"), typo.all());
    }
}
