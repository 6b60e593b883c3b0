package io.tributary.cluster.comm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The start-up checks of {@link ClusterTls#load}: mistakes in these files otherwise show up only as
 * handshake failures on other nodes, far from the file that caused them.
 */
final class ClusterTlsCheck {

    private ClusterTlsCheck() {
    }

    static void check(ClusterTls tls, Instant now) {
        List<X509Certificate> chain = PemFiles.certificates(tls.certificate(), PemFiles.CERTIFICATE);
        PrivateKey key = PemFiles.privateKey(tls.key());
        List<X509Certificate> authorities = PemFiles.certificates(tls.trustedCa(), PemFiles.TRUSTED_CA);
        X509Certificate own = chain.get(0);
        if (!belongTogether(key, own.getPublicKey())) {
            throw new IllegalArgumentException("the " + PemFiles.KEY + " " + tls.key() + " does not belong to the "
                    + PemFiles.CERTIFICATE + " " + tls.certificate() + " (the first certificate in the file)");
        }
        try {
            own.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("the " + PemFiles.CERTIFICATE + " " + tls.certificate() + " expired on "
                    + own.getNotAfter().toInstant() + ": renew it");
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException("the " + PemFiles.CERTIFICATE + " " + tls.certificate()
                    + " is not valid before " + own.getNotBefore().toInstant() + ": check this machine's clock");
        }
        checkSignedBy(tls, chain, authorities, now);
    }

    /** Signs a challenge with the key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign without a separate digest
        };
        byte[] challenge = "tributary cluster tls check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The other nodes trust the same CA, so a certificate it did not sign would be refused by all of them. */
    private static void checkSignedBy(ClusterTls tls, List<X509Certificate> chain, List<X509Certificate> authorities,
            Instant now) {
        Set<TrustAnchor> anchors = authorities.stream().map(ca -> new TrustAnchor(ca, null))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        // A chain file may end with the CA itself; a path to validate must stop before its anchor.
        List<X509Certificate> path = chain.stream().filter(c -> !authorities.contains(c)).toList();
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + PemFiles.CERTIFICATE + " " + tls.certificate()
                    + " is not signed by the " + PemFiles.TRUSTED_CA + " " + tls.trustedCa()
                    + ", so the other nodes would refuse it (" + e.getMessage() + ")");
        }
    }
}
