package org.sparselab.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests for data provenance: of files, of generator settings. */
public final class Fingerprint {
    private Fingerprint() {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Digest of one file's bytes. */
    public static String file(Path p) throws IOException {
        MessageDigest d = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Digest of several files: {@code name=sha256} pairs, hashed again in the given order. */
    public static String files(Path... paths) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path p : paths) {
            sb.append(p.getFileName()).append('=').append(file(p)).append('\n');
        }
        return text(sb.toString());
    }

    public static String text(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
