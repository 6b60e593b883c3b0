package io.tributary.cluster.comm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of the cluster TLS configuration, failing with a message that names the file
 * and says what to do, because these files are written by hand by operators at start-up.
 */
final class PemFiles {

    static final String CERTIFICATE = "cluster TLS certificate";
    static final String KEY = "cluster TLS key";
    static final String TRUSTED_CA = "cluster TLS trusted CA";

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final long MAX_SIZE = 1 << 20;
    /** The key types Java and Netty can serve TLS with; PKCS#8 does not say which one in plain text. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemFiles() {
    }

    /** The certificates in {@code file}, in file order (for a chain: the node's own certificate first). */
    static List<X509Certificate> certificates(Path file, String what) {
        List<Block> blocks = blocks(file, what);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks) {
                if (block.label().equals("CERTIFICATE")) {
                    var der = new ByteArrayInputStream(block.der());
                    certificates.add((X509Certificate) factory.generateCertificate(der));
                }
            }
        } catch (CertificateException e) {
            throw unreadable(what, file, "not a valid X.509 certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw unreadable(what, file, "no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
        }
        return certificates;
    }

    /** The PKCS#8 private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        List<Block> blocks = blocks(file, KEY);
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY":
                    return decodeKey(file, block.der());
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                    throw unreadable(KEY, file, "not a PKCS#8 PEM key but a " + block.label()
                            + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out " + file + ".pkcs8");
                case "ENCRYPTED PRIVATE KEY":
                    throw unreadable(KEY, file, "the key is encrypted, which is not supported; decrypt it with: "
                            + "openssl pkcs8 -in " + file + " -out " + file + ".plain (and protect the file instead)");
                default:
                    // a certificate or parameters before the key: keep looking
            }
        }
        throw unreadable(KEY, file, "not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PrivateKey decodeKey(Path file, byte[] der) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw unreadable(KEY, file, "not a PKCS#8 PEM key: its content is not an RSA, EC or EdDSA key");
    }

    private static List<Block> blocks(Path file, String what) {
        byte[] content;
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw unreadable(what, file, "the file is " + Files.size(file)
                        + " bytes long, too long for a PEM file");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw unreadable(what, file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(what, file, "permission denied");
        } catch (IOException e) {
            throw unreadable(what, file, e.toString());
        }
        // Latin-1 decodes any bytes, so a binary file reaches the hint below instead of a decoding error.
        Matcher matcher = BLOCK.matcher(new String(content, StandardCharsets.ISO_8859_1));
        List<Block> blocks = new ArrayList<>();
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2).strip())));
            } catch (IllegalArgumentException e) {
                throw unreadable(what, file, "the " + matcher.group(1) + " block is not valid base64");
            }
        }
        if (blocks.isEmpty() && content.length > 0 && content[0] == 0x30) {
            throw unreadable(what, file, "not a PEM file (it looks like binary DER): convert it with openssl to PEM");
        }
        return blocks;
    }

    static IllegalArgumentException unreadable(String what, Path file, String why) {
        return new IllegalArgumentException("cannot read the " + what + " " + file + ": " + why);
    }

    private record Block(String label, byte[] der) {
    }
}
